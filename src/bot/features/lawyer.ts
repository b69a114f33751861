/**
 * The migrant's side of the lawyer queue: asking a question (write → preview →
 * send), SOS, the thread of an open case, listing, withdrawing and rating cases.
 * The question being written is kept in the database, so nothing typed is lost on
 * a restart; the bot never answers on a lawyer's behalf.
 */
import { trusted } from '../../i18n/i18n.js';
import { Composer, InlineKeyboard } from 'grammy';
import { FLOWS_NS, flowKeys } from '../../flow-engine/flow-texts.js';
import { decodeAttachment, encodeAttachment } from '../../lawyer-queue/attachments.js';
import { MAX_THREAD_TEXT } from '../../lawyer-queue/case-service.js';
import { formatRu, todayIn } from '../../lib/iso-date.js';
import { CALLBACK_PATTERNS, cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { menuOnlyKeyboard } from '../keyboards.js';
import { rightsCardKeyboard, rightsCardText, urgentContacts } from '../sos-card.js';
import { answerCallback, show } from '../show.js';


/** Messages a lawyer can receive: text, and what migrants attach or say instead of writing. */
const LAWYER_MESSAGES: ('message:text' | 'message:photo' | 'message:voice' | 'message:audio' | 'message:document')[] = ['message:text', 'message:photo', 'message:voice', 'message:audio', 'message:document'];

/**
 * The attachment of a message, stored as a Telegram file id (see attachments.ts).
 * Telegram sends photo sizes small to large; the largest is enough for a lawyer.
 */
function attachmentOf(ctx: BotContext): string | undefined {
  const m = ctx.message;
  const photo = m?.photo?.at(-1)?.file_id;
  if (photo) return encodeAttachment({ kind: 'photo', fileId: photo });
  if (m?.voice) return encodeAttachment({ kind: 'voice', fileId: m.voice.file_id });
  if (m?.audio) return encodeAttachment({ kind: 'audio', fileId: m.audio.file_id });
  if (m?.document) return encodeAttachment({ kind: 'document', fileId: m.document.file_id });
  return undefined;
}

const SPOKEN = new Set(['voice', 'audio']);
const hasVoice = (fileIds: string[]) => fileIds.some((f) => SPOKEN.has(decodeAttachment(f).kind));

/**
 * Whether asking a lawyer from this flow node opens an urgent case: an answer marked
 * `escalate: urgent` or an escalation node marked `urgent` (a risk of being sent back to
 * danger). The lawyers' chat is told at once, as for SOS.
 */
function isUrgentNode(deps: BotDeps, flowId: string, nodeId: string): boolean {
  const node = deps.flows.get(flowId)?.nodes[nodeId];
  return (node?.type === 'outcome' && node.escalate === 'urgent') || (node?.type === 'escalation' && node.urgent);
}

export function lawyerCommands(deps: BotDeps) {
  const { cases, pending, clock } = deps;
  const composer = new Composer<BotContext>();

  async function startQuestion(ctx: BotContext, from?: { flowId: string; node: string }) {
    const urgent = from ? isUrgentNode(deps, from.flowId, from.node) : false;
    await pending.set(ctx.from!.id, { kind: 'question', caseId: null, text: null, fileIds: [], from: from ?? null, urgent }, clock());
    await show(ctx, ctx.t('cases.ask'), new InlineKeyboard().text(ctx.t('cases.cancel'), cb.caseCancel), { edit: false });
  }

  composer.command('lawyer', (ctx) => startQuestion(ctx));
  composer.callbackQuery(cb.lawyer, async (ctx) => {
    await answerCallback(ctx);
    await startQuestion(ctx);
  });
  composer.callbackQuery(CALLBACK_PATTERNS.escalate, async (ctx) => {
    await answerCallback(ctx);
    await startQuestion(ctx, { flowId: ctx.match[1]!, node: ctx.match[2]! });
  });

  composer.callbackQuery(cb.caseCancel, async (ctx) => {
    await answerCallback(ctx);
    await pending.clear(ctx.from.id);
    await show(ctx, ctx.t('cases.cancelled'), menuOnlyKeyboard(ctx.t));
  });
  composer.callbackQuery(cb.caseEdit, async (ctx) => {
    await answerCallback(ctx);
    const p = ctx.pending;
    if (p?.kind !== 'question') return show(ctx, ctx.t('expired'), menuOnlyKeyboard(ctx.t));
    await pending.set(ctx.from.id, { ...p, text: null, fileIds: [] }, clock());
    await show(ctx, ctx.t('cases.ask-again'), new InlineKeyboard().text(ctx.t('cases.cancel'), cb.caseCancel));
  });
  composer.callbackQuery(cb.caseSend, async (ctx) => {
    const p = ctx.pending;
    // A voice message alone is a question too: many migrants speak rather than write.
    if (p?.kind !== 'question' || (!p.text && !hasVoice(p.fileIds))) {
      await answerCallback(ctx, ctx.t('expired'));
      return show(ctx, ctx.t('expired'), menuOnlyKeyboard(ctx.t), { edit: false });
    }
    await answerCallback(ctx);
    const opened = await cases.open({
      userId: ctx.from.id,
      language: ctx.lang,
      question: p.text ?? ctx.t('attachments.voice-only'),
      fileIds: p.fileIds,
      urgent: p.urgent,
      from: p.from ?? undefined,
    });
    await pending.clear(ctx.from.id);
    deps.wakeOutbox();
    await show(ctx, ctx.t('cases.opened', { id: opened.id, hours: deps.responseHours }), menuOnlyKeyboard(ctx.t));
  });

  // SOS: the rights card at once (in the user's language and in Russian), the
  // contacts, and an urgent case without any further question.
  const sos = async (ctx: BotContext) => {
    await show(ctx, rightsCardText(ctx, deps), rightsCardKeyboard(ctx), { edit: false });
    const existing = ctx.openCaseId ? (await cases.listForUser(ctx.from!.id)).find((c) => c.id === ctx.openCaseId && c.priority === 'urgent') : undefined;
    const opened =
      existing ??
      (await cases.open({ userId: ctx.from!.id, language: ctx.lang, question: 'SOS: задержание или изъятие документов', urgent: true }));
    deps.wakeOutbox();
    const contacts = await urgentContacts(ctx, deps, opened.citizenship);
    await show(ctx, `${ctx.t('sos.opened', { id: opened.id })}\n\n${contacts.text}`, contacts.keyboard(menuOnlyKeyboard(ctx.t)), { edit: false });
  };
  composer.command('sos', sos);
  composer.callbackQuery(cb.sos, async (ctx) => {
    await answerCallback(ctx);
    await sos(ctx);
  });

  const listCases = async (ctx: BotContext) => {
    const mine = await cases.listForUser(ctx.from!.id);
    if (!mine.length) return show(ctx, ctx.t('cases.list-empty'), menuOnlyKeyboard(ctx.t));
    const kb = new InlineKeyboard();
    const lines = [ctx.t('cases.list-title')];
    for (const c of mine) {
      lines.push(ctx.t('cases.list-line', { id: c.id, status: trusted(ctx.t(`cases.status.${c.status}`)), date: formatRu(todayIn(c.createdAt)) }));
      if (c.status === 'open' || c.status === 'claimed') kb.text(ctx.t('cases.withdraw', { id: c.id }), cb.caseWithdraw(c.id)).row();
    }
    kb.text(ctx.t('nav.menu'), cb.menu);
    await show(ctx, lines.join('\n'), kb);
  };
  composer.command('cases', listCases);
  composer.callbackQuery(cb.cases, async (ctx) => {
    await answerCallback(ctx);
    await listCases(ctx);
  });

  composer.callbackQuery(CALLBACK_PATTERNS.caseWithdraw, async (ctx) => {
    await answerCallback(ctx);
    const id = Number(ctx.match[1]);
    const done = await cases.withdraw(ctx.from.id, id);
    await show(ctx, done ? ctx.t('cases.withdrawn', { id }) : ctx.t('cases.not-open'), menuOnlyKeyboard(ctx.t), { edit: false });
  });

  composer.callbackQuery(CALLBACK_PATTERNS.caseReply, async (ctx) => {
    await answerCallback(ctx);
    const id = Number(ctx.match[1]);
    const c = (await cases.listForUser(ctx.from.id)).find((x) => x.id === id);
    if (!c || (c.status !== 'open' && c.status !== 'claimed')) return show(ctx, ctx.t('cases.not-open'), menuOnlyKeyboard(ctx.t), { edit: false });
    await show(ctx, ctx.t('cases.reply-prompt', { id }), undefined, { edit: false });
  });

  composer.callbackQuery(CALLBACK_PATTERNS.rate, async (ctx) => {
    const id = Number(ctx.match[1]);
    const rated = await cases.rate(ctx.from.id, id, Number(ctx.match[2]));
    await answerCallback(ctx, rated ? undefined : ctx.t('expired'));
    if (!rated) return;
    await pending.set(ctx.from.id, { kind: 'comment', caseId: id, text: null, fileIds: [], from: null, urgent: false }, clock());
    await show(ctx, ctx.t('cases.rated'), new InlineKeyboard().text(ctx.t('cases.skip'), cb.rateSkip));
  });
  composer.callbackQuery(cb.rateSkip, async (ctx) => {
    await answerCallback(ctx);
    await pending.clear(ctx.from.id);
    await show(ctx, ctx.t('menu.title'), menuOnlyKeyboard(ctx.t));
  });

  return composer;
}

/**
 * Free text and photos for a lawyer: the question being written (before the flows),
 * and — when no flow question is waiting for a typed answer — the open case's thread.
 */
export function lawyerInput(deps: BotDeps) {
  const { cases, pending, clock } = deps;
  const composer = new Composer<BotContext>();

  composer.on(LAWYER_MESSAGES, async (ctx, next) => {
    const text = ctx.message.text ?? ctx.message.caption ?? '';
    if (text.startsWith('/')) return next();
    const p = ctx.pending;
    if (p?.kind === 'comment' && p.caseId && ctx.message.text) {
      await cases.comment(ctx.from.id, p.caseId, text);
      await pending.clear(ctx.from.id);
      return show(ctx, ctx.t('cases.comment-saved'), menuOnlyKeyboard(ctx.t));
    }
    if (p?.kind === 'question') {
      const merged = [p.text, text].filter(Boolean).join('\n');
      if (merged.length > MAX_THREAD_TEXT) return show(ctx, ctx.t('cases.too-long', { max: MAX_THREAD_TEXT }));
      const attachment = attachmentOf(ctx);
      const fileIds = attachment ? [...p.fileIds, attachment] : p.fileIds;
      await pending.set(ctx.from.id, { ...p, text: merged || null, fileIds }, clock());
      if (!merged && !hasVoice(fileIds)) {
        const added = ctx.message.document ? ctx.t('attachments.file-added') : ctx.t('cases.photo-added');
        return show(ctx, `${added} ${ctx.t('cases.need-text')}`);
      }
      if (!merged) await show(ctx, ctx.t('attachments.voice-added'), undefined, { edit: false });
      return showPreview(ctx, deps, merged || ctx.t('attachments.voice-only'), fileIds);
    }
    return next();
  });
  return composer;
}

export function caseThread(deps: BotDeps) {
  const { cases } = deps;
  const composer = new Composer<BotContext>();
  composer.on(LAWYER_MESSAGES, async (ctx, next) => {
    const text = ctx.message.text ?? ctx.message.caption ?? '';
    if (text.startsWith('/') || !ctx.openCaseId) return next();
    // A flow question waiting for a typed date, date-time or number keeps its answer
    // (the SOS branch asks when the user was brought in while their urgent case is open).
    const run = ctx.known?.run;
    const node = run && deps.flows.get(run.flowId)?.nodes[run.node];
    if (ctx.message.text && (node?.type === 'date' || node?.type === 'datetime' || node?.type === 'number')) return next();
    if (text.length > MAX_THREAD_TEXT) return show(ctx, ctx.t('cases.too-long', { max: MAX_THREAD_TEXT }));
    const attachment = attachmentOf(ctx);
    const placeholder = ctx.message.voice || ctx.message.audio ? '🎤' : '📎';
    await cases.addUserMessage(ctx.from.id, ctx.openCaseId, text || placeholder, attachment ? [attachment] : []);
    await show(ctx, ctx.t('cases.passed', { id: ctx.openCaseId }));
  });
  return composer;
}

async function showPreview(ctx: BotContext, deps: BotDeps, text: string, fileIds: string[]) {
  const kinds = fileIds.map((f) => decodeAttachment(f).kind);
  const voices = kinds.filter((k) => k === 'voice' || k === 'audio').length;
  const photos = kinds.length - voices;
  const results = await deps.runs.listResults(ctx.from!.id, 5);
  const titles = [...new Set(results.map((r) => r.flowId))]
    .filter((id) => deps.flows.get(id))
    .map((id) => ctx.t(flowKeys.title(id), { ns: FLOWS_NS }));
  const parts = [ctx.t('cases.preview', { text })];
  if (photos) parts.push(ctx.t('cases.preview-photos', { count: photos }));
  if (voices) parts.push(ctx.t('attachments.preview-voice', { count: voices }));
  if (titles.length) parts.push(ctx.t('cases.preview-context', { titles: titles.join(', ') }));
  const kb = new InlineKeyboard()
    .text(ctx.t('cases.send'), cb.caseSend)
    .row()
    .text(ctx.t('cases.edit'), cb.caseEdit)
    .text(ctx.t('cases.cancel'), cb.caseCancel);
  await show(ctx, parts.join('\n\n'), kb);
}
