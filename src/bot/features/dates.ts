/**
 * "My dates": saving an answer's dates with reminders, the list by urgency, editing,
 * deleting, document expiries, and the payment loop ("I paid", "remind me
 * tomorrow") that the reminder messages offer.
 */
import { trusted } from '../../i18n/i18n.js';
import { Composer, InlineKeyboard } from 'grammy';
import { DOCUMENTS, type DocumentKind } from '../../deadlines/deadline-service.js';
import { dateLabel, daysLeft } from '../../deadlines/date-labels.js';
import { formatRu, parseUserDate, todayIn } from '../../lib/iso-date.js';
import { CALLBACK_PATTERNS, cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { menuOnlyKeyboard } from '../keyboards.js';
import { answerCallback, show } from '../show.js';

/** Month counts offered after "I paid" (a patent is paid for 1–12 months at a time). */
const MONTH_CHOICES = [1, 2, 3, 4, 5, 6, 12];

export function dates(deps: BotDeps) {
  const { deadlines, pending, clock } = deps;
  const composer = new Composer<BotContext>();
  const today = () => todayIn(clock());
  const left = (ctx: BotContext, date: string) => daysLeft(ctx.t, date, today());

  const listDates = async (ctx: BotContext, edit = true) => {
    const rows = await deadlines.list(ctx.from!.id);
    const kb = new InlineKeyboard();
    if (!rows.length) {
      kb.text(ctx.t('dates.add-document'), cb.documentAdd).row().text(ctx.t('nav.menu'), cb.menu);
      return show(ctx, ctx.t('dates.empty'), kb, { edit });
    }
    const lines = [ctx.t('dates.title')];
    rows.forEach((r, i) => {
      const n = i + 1;
      lines.push(
        ctx.t('dates.line', { n, label: trusted(dateLabel(ctx.t, r)), date: formatRu(r.date), left: trusted(left(ctx, r.date)) }) +
          (r.provisional ? ` ${ctx.t('dates.provisional-mark')}` : ''),
      );
      // A deadline rule's date follows the user's facts: it is changed there, not by hand.
      if (r.kind !== 'rule') kb.text(ctx.t('dates.edit', { n }), cb.dateEdit(r.id)).text(ctx.t('dates.delete', { n }), cb.dateDelete(r.id));
      if (deadlines.paymentInfo(r)) kb.text(ctx.t('dates.paid-short', { n }), cb.datePaid(r.id));
      kb.row();
    });
    lines.push('', `<i>${ctx.t('dates.legend')}</i>`);
    if (rows.some((r) => r.kind === 'rule')) lines.push(`<i>${ctx.t('dates.rule-legend')}</i>`);
    kb.text(ctx.t('dates.add-document'), cb.documentAdd).row().text(ctx.t('menu.situation'), cb.situation).text(ctx.t('nav.menu'), cb.menu);
    await show(ctx, lines.join('\n'), kb, { edit });
  };

  composer.command('dates', (ctx) => listDates(ctx, false));
  composer.callbackQuery(cb.dates, async (ctx) => {
    await answerCallback(ctx);
    // From a reminder, the list comes as a new message so the reminder stays readable.
    await listDates(ctx, ctx.callbackQuery.message?.reply_markup?.inline_keyboard.flat().some((b) => 'callback_data' in b && b.callback_data === cb.menu) ?? false);
  });

  composer.callbackQuery(CALLBACK_PATTERNS.saveDates, async (ctx) => {
    const [, flowId, node] = ctx.match;
    const run = ctx.known?.run;
    const flow = deps.flows.get(flowId!);
    if (!run || !flow || run.flowId !== flowId || run.node !== node || run.version !== flow.version) {
      await answerCallback(ctx, ctx.t('expired'));
      return;
    }
    await answerCallback(ctx);
    const saved = await deadlines.saveFromOutcome(ctx.from.id, flowId!, node!, run.answers);
    if (!saved.length) return show(ctx, ctx.t('dates.nothing-to-save'), undefined, { edit: false });
    const list = saved.map((r) => `• ${dateLabel(ctx.t, r)} — <b>${formatRu(r.date)}</b>`).join('\n');
    const days = deadlines.policy.daysBefore.filter((d) => d > 0).join(', ');
    await show(ctx, `${list}\n\n${ctx.t('dates.saved', { days, hour: deadlines.policy.hour })}`, new InlineKeyboard().text(ctx.t('dates.my-dates'), cb.dates).text(ctx.t('nav.menu'), cb.menu), { edit: false });
  });

  composer.callbackQuery(CALLBACK_PATTERNS.dateDelete, async (ctx) => {
    await answerCallback(ctx);
    const done = await deadlines.remove(ctx.from.id, Number(ctx.match[1]));
    await show(ctx, ctx.t(done ? 'dates.deleted' : 'dates.not-found'), new InlineKeyboard().text(ctx.t('dates.my-dates'), cb.dates));
  });

  composer.callbackQuery(CALLBACK_PATTERNS.dateEdit, async (ctx) => {
    await answerCallback(ctx);
    const row = await deadlines.find(ctx.from.id, Number(ctx.match[1]));
    if (!row) return show(ctx, ctx.t('dates.not-found'), menuOnlyKeyboard(ctx.t));
    await pending.set(ctx.from.id, { kind: 'edit-date', targetId: row.id }, clock());
    await show(ctx, ctx.t('dates.ask-date', { label: trusted(dateLabel(ctx.t, row)) }), undefined, { edit: false });
  });

  composer.callbackQuery(cb.documentAdd, async (ctx) => {
    await answerCallback(ctx);
    const kb = new InlineKeyboard();
    DOCUMENTS.forEach((d, i) => {
      kb.text(ctx.t(`dates.documents.${d}`), cb.documentKind(d));
      if (i % 2 === 1) kb.row();
    });
    await show(ctx, ctx.t('dates.choose-document'), kb.row().text(ctx.t('nav.menu'), cb.menu));
  });
  composer.callbackQuery(CALLBACK_PATTERNS.documentKind, async (ctx) => {
    const doc = ctx.match[1] as DocumentKind;
    if (!DOCUMENTS.includes(doc)) return answerCallback(ctx, ctx.t('expired'));
    await answerCallback(ctx);
    await pending.set(ctx.from.id, { kind: 'document-date', text: doc }, clock());
    await show(ctx, ctx.t('dates.ask-date', { label: trusted(ctx.t(`dates.documents.${doc}`)) }));
  });

  composer.callbackQuery(CALLBACK_PATTERNS.datePaid, async (ctx) => {
    await answerCallback(ctx);
    const row = await deadlines.find(ctx.from.id, Number(ctx.match[1]));
    const info = row && deadlines.paymentInfo(row);
    if (!row || !info) return show(ctx, ctx.t('dates.not-found'), menuOnlyKeyboard(ctx.t), { edit: false });
    const room = info.max - info.paid;
    if (room < 1) return show(ctx, ctx.t('dates.over-max', { max: 0 }), menuOnlyKeyboard(ctx.t), { edit: false });
    const kb = new InlineKeyboard();
    MONTH_CHOICES.filter((n) => n <= room).forEach((n, i) => {
      kb.text(ctx.t('dates.months', { count: n }), cb.datePaidMonths(row.id, n));
      if (i % 4 === 3) kb.row();
    });
    await show(ctx, ctx.t('dates.how-many'), kb, { edit: false });
  });
  composer.callbackQuery(CALLBACK_PATTERNS.datePaidMonths, async (ctx) => {
    await answerCallback(ctx);
    const row = await deadlines.find(ctx.from.id, Number(ctx.match[1]));
    if (row && deadlines.paymentFact(row)) {
      // A reminder of a rule's date: the payment becomes a fact, and the rule moves the date
      // (or says the patent ended, if the paid period had already run out).
      const { next, situation } = await deps.situationService.paid(ctx.from.id, row, Number(ctx.match[2]));
      const kb = new InlineKeyboard().text(ctx.t('menu.situation'), cb.situation);
      if (next) return show(ctx, ctx.t('dates.paid-recorded', { date: formatRu(next.date) }), kb);
      const ended = situation.items.find((i) => i.kind === 'status' && i.rule.id === 'patent-ended');
      return show(ctx, ended ? ctx.t('dates.paid-too-late', { date: formatRu(ended.kind === 'status' ? ended.since : '') }) : ctx.t('dates.paid-no-next'), kb);
    }
    const result = await deadlines.paid(ctx.from.id, Number(ctx.match[1]), Number(ctx.match[2]));
    if ('error' in result) {
      const text = result.error === 'over-max' ? ctx.t('dates.over-max', { max: result.max ?? 0 }) : ctx.t('dates.not-found');
      return show(ctx, text, menuOnlyKeyboard(ctx.t));
    }
    await show(ctx, ctx.t('dates.paid-done', { date: formatRu(result.row.date) }), new InlineKeyboard().text(ctx.t('dates.my-dates'), cb.dates));
  });

  composer.callbackQuery(CALLBACK_PATTERNS.dateSnooze, async (ctx) => {
    await answerCallback(ctx);
    const tomorrow = await deadlines.snooze(ctx.from.id, Number(ctx.match[1]));
    await show(
      ctx,
      tomorrow ? ctx.t('dates.snoozed', { date: formatRu(tomorrow), hour: deadlines.policy.hour }) : ctx.t('dates.snooze-late'),
      undefined,
      { edit: false },
    );
  });

  return composer;
}

/** Typed dates for the dialogues above (edit a date, add a document's expiry). */
export function datesInput(deps: BotDeps) {
  const { deadlines, pending } = deps;
  const composer = new Composer<BotContext>();
  composer.on('message:text', async (ctx, next) => {
    const p = ctx.pending;
    if ((p?.kind !== 'edit-date' && p?.kind !== 'document-date') || ctx.message.text.startsWith('/')) return next();
    const date = ctx.message.text.length <= 40 ? parseUserDate(ctx.message.text) : undefined;
    if (!date) return show(ctx, ctx.t('flow.errors.date-format'));
    await pending.clear(ctx.from.id);
    const kb = new InlineKeyboard().text(ctx.t('dates.my-dates'), cb.dates).text(ctx.t('nav.menu'), cb.menu);
    if (p.kind === 'edit-date') {
      const row = await deadlines.edit(ctx.from.id, Number(p.targetId), date);
      if (!row) return show(ctx, ctx.t('dates.not-found'), kb);
      return show(ctx, ctx.t('dates.updated', { label: trusted(dateLabel(ctx.t, row)), date: formatRu(date) }), kb);
    }
    const doc = (DOCUMENTS as readonly string[]).includes(p.text ?? '') ? (p.text as DocumentKind) : 'other';
    const row = await deadlines.addDocument(ctx.from.id, doc, date);
    await show(ctx, ctx.t('dates.added', { label: trusted(dateLabel(ctx.t, row)), date: formatRu(date) }), kb);
  });
  return composer;
}
