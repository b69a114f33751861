/**
 * My situation (`/situation`) and What the bot knows about me (`/facts`): every
 * deadline that follows from the user's facts, and each fact with change and delete.
 * A fact is given here with buttons (choices) or typed (dates, date-times, numbers,
 * a payment's date then its months); bad input gets a translated example.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { FLOWS_NS } from '../../flow-engine/flow-texts.js';
import { trusted } from '../../i18n/i18n.js';
import { todayIn } from '../../lib/iso-date.js';
import { escapeHtml } from '../../lib/telegram-html.js';
import { formatFactValue, readFactValue, readRecordField } from '../../situation/fact-values.js';
import { modelKeys } from '../../situation/model-texts.js';
import type { FactDef } from '../../situation/schema.js';
import { CALLBACK_PATTERNS, cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { renderKnownFacts, renderSituation } from '../render-situation.js';
import { dateLabel } from '../../deadlines/date-labels.js';
import { answerCallback, show } from '../show.js';

/** The example shown under a typed fact's question, by type. */
const HINTS: Record<string, string> = { date: 'flow.date-hint', datetime: 'facts.datetime-hint', number: 'facts.number-hint' };

export function situation(deps: BotDeps) {
  const { situationService, factService, pending, clock } = deps;
  const model = factService.model;
  const composer = new Composer<BotContext>();

  async function showSituation(ctx: BotContext, prefix?: string) {
    const userId = ctx.from!.id;
    const [facts, saved] = await Promise.all([factService.list(userId), deps.deadlines.list(userId)]);
    const now = clock();
    // Dates saved from answers and document expiries the user typed: shown here too, edited in My dates.
    const dates = saved.filter((r) => r.kind !== 'rule').map((r) => ({ label: dateLabel(ctx.t, r), date: r.date }));
    const screen = renderSituation(ctx.t, model, situationService.evaluate(facts, now), facts, now, Boolean(ctx.user?.remindDeadlines), dates);
    await show(ctx, prefix ? `${prefix}\n\n${screen.text}` : screen.text, screen.keyboard);
  }

  async function showKnown(ctx: BotContext, prefix?: string) {
    const screen = renderKnownFacts(ctx.t, model, await factService.list(ctx.from!.id));
    await show(ctx, prefix ? `${prefix}\n\n${screen.text}` : screen.text, screen.keyboard);
  }

  /** Asks for a fact: buttons for a choice, a typed answer (kept in the database) otherwise. */
  async function ask(ctx: BotContext, id: string, def: FactDef) {
    const kb = new InlineKeyboard();
    if (def.type === 'choice') {
      def.options.forEach((o, i) => {
        kb.text(ctx.t(modelKeys.factOption(id, o.id), { ns: FLOWS_NS }), cb.factSet(id, i)).row();
      });
      kb.text(ctx.t('facts.cancel'), cb.facts);
      return show(ctx, ctx.t(modelKeys.factText(id), { ns: FLOWS_NS }), kb);
    }
    kb.text(ctx.t('facts.cancel'), cb.facts);
    if (def.type === 'records') {
      await pending.set(ctx.from!.id, { kind: 'fact', fact: { id, record: {} } }, clock());
      return show(ctx, `${ctx.t(modelKeys.factText(id), { ns: FLOWS_NS })}\n\n${fieldQuestion(ctx, id, def, def.order_by)}`, kb);
    }
    await pending.set(ctx.from!.id, { kind: 'fact', fact: { id } }, clock());
    return show(ctx, `${ctx.t(modelKeys.factText(id), { ns: FLOWS_NS })}\n\n<i>${ctx.t(HINTS[def.type]!)}</i>`, kb);
  }

  function fieldQuestion(ctx: BotContext, id: string, def: Extract<FactDef, { type: 'records' }>, field: string) {
    const f = def.fields[field]!;
    const hint = f.type === 'date' ? ctx.t('flow.date-hint') : ctx.t('flow.number-hint', { min: f.min ?? 0, max: f.max ?? 999 });
    return `${ctx.t(modelKeys.fieldText(id, field), { ns: FLOWS_NS })}\n<i>${hint}</i>`;
  }

  async function saved(ctx: BotContext, id: string, value: Parameters<typeof formatFactValue>[3]) {
    const line = ctx.t('facts.saved', {
      label: trusted(ctx.t(modelKeys.factLabel(id), { ns: FLOWS_NS })),
      value: formatFactValue(ctx.t, id, model.facts[id], value),
    });
    await showSituation(ctx, line);
  }

  composer.command('situation', (ctx) => showSituation(ctx));
  composer.callbackQuery(cb.situation, async (ctx) => {
    await answerCallback(ctx);
    await showSituation(ctx);
  });
  composer.command('facts', (ctx) => showKnown(ctx));
  composer.callbackQuery(cb.facts, async (ctx) => {
    await answerCallback(ctx);
    if (ctx.pending?.kind === 'fact') await pending.clear(ctx.from.id);
    await showKnown(ctx);
  });

  composer.callbackQuery(CALLBACK_PATTERNS.situationRemind, async (ctx) => {
    await answerCallback(ctx);
    const on = ctx.match[1] === '1';
    await situationService.remindOn(ctx.from.id, on);
    if (ctx.user) ctx.user = { ...ctx.user, remindDeadlines: on };
    await showSituation(ctx, ctx.t(on ? 'situation.remind-done' : 'situation.remind-stopped'));
  });

  composer.callbackQuery(CALLBACK_PATTERNS.factEdit, async (ctx) => {
    const id = ctx.match[1]!;
    const def = model.facts[id];
    if (!def) return answerCallback(ctx, ctx.t('expired'));
    await answerCallback(ctx);
    await ask(ctx, id, def);
  });

  composer.callbackQuery(CALLBACK_PATTERNS.factSet, async (ctx) => {
    const id = ctx.match[1]!;
    const def = model.facts[id];
    const option = def?.type === 'choice' ? def.options[Number(ctx.match[2])] : undefined;
    if (!option) return answerCallback(ctx, ctx.t('expired'));
    await answerCallback(ctx);
    await factService.set(ctx.from.id, id, option.id);
    await saved(ctx, id, option.id);
  });

  composer.callbackQuery(CALLBACK_PATTERNS.factDelete, async (ctx) => {
    const id = ctx.match[1]!;
    await answerCallback(ctx);
    const removed = await factService.remove(ctx.from.id, id);
    const label = model.facts[id] ? ctx.t(modelKeys.factLabel(id), { ns: FLOWS_NS }) : escapeHtml(id);
    await showKnown(ctx, removed ? ctx.t('facts.deleted', { label: trusted(label) }) : undefined);
  });

  composer.callbackQuery(cb.factsDeleteAll, async (ctx) => {
    await answerCallback(ctx);
    await show(ctx, ctx.t('facts.delete-all-confirm'), new InlineKeyboard().text(ctx.t('facts.delete-all-yes'), cb.factsDeleteAllYes).row().text(ctx.t('facts.cancel'), cb.facts));
  });
  composer.callbackQuery(cb.factsDeleteAllYes, async (ctx) => {
    await answerCallback(ctx);
    const n = await factService.removeAll(ctx.from.id);
    await showKnown(ctx, ctx.t('facts.deleted-all', { count: n }));
  });

  return composer;
}

/** Typed values for a fact being given (after the dialogues for lawyers and dates). */
export function situationInput(deps: BotDeps) {
  const { factService, situationService, pending, clock } = deps;
  const model = factService.model;
  const composer = new Composer<BotContext>();
  composer.on('message:text', async (ctx, next) => {
    const p = ctx.pending;
    if (p?.kind !== 'fact' || !p.fact || ctx.message.text.startsWith('/')) return next();
    const id = p.fact.id;
    const def = model.facts[id];
    const cancel = new InlineKeyboard().text(ctx.t('facts.cancel'), cb.facts);
    if (!def) {
      await pending.clear(ctx.from.id);
      return next();
    }
    const now = clock();
    const today = todayIn(now);
    const userId = ctx.from.id;
    if (def.type === 'records') {
      const facts = await factService.list(userId);
      const record = { ...(p.fact.record ?? {}) };
      const fields = [def.order_by, ...Object.keys(def.fields).filter((f) => f !== def.order_by)];
      const field = fields.find((f) => record[f] === undefined)!;
      const notBefore = def.not_before ? facts[def.not_before] : undefined;
      const r = readRecordField(def, field, ctx.message.text, today, typeof notBefore === 'string' ? notBefore : undefined);
      if ('error' in r) return show(ctx, `<i>${ctx.t(`facts.errors.${r.error.code}`, r.error.params ?? {})}</i>`, cancel);
      record[field] = r.value;
      const nextField = fields.find((f) => record[f] === undefined);
      if (nextField) {
        await pending.set(userId, { kind: 'fact', fact: { id, record } }, now);
        const f = def.fields[nextField]!;
        const hint = f.type === 'date' ? ctx.t('flow.date-hint') : ctx.t('flow.number-hint', { min: f.min ?? 0, max: f.max ?? 999 });
        return show(ctx, `${ctx.t(modelKeys.fieldText(id, nextField), { ns: FLOWS_NS })}\n<i>${hint}</i>`, cancel);
      }
      await pending.clear(userId);
      const records = await factService.addRecord(userId, id, record);
      return showSaved(ctx, id, records);
    }
    const facts = await factService.list(userId);
    const r = readFactValue(def, ctx.message.text, now, today, situationService.utcOffset(facts));
    if ('error' in r) return show(ctx, `<i>${ctx.t(`facts.errors.${r.error.code}`, r.error.params ?? {})}</i>\n<i>${ctx.t(HINTS[def.type] ?? 'flow.date-hint')}</i>`, cancel);
    await pending.clear(userId);
    await factService.set(userId, id, r.value);
    return showSaved(ctx, id, r.value);
  });

  async function showSaved(ctx: BotContext, id: string, value: Parameters<typeof formatFactValue>[3]) {
    const facts = await factService.list(ctx.from!.id);
    const now = clock();
    const line = ctx.t('facts.saved', { label: trusted(ctx.t(modelKeys.factLabel(id), { ns: FLOWS_NS })), value: formatFactValue(ctx.t, id, model.facts[id], value) });
    const screen = renderSituation(ctx.t, model, situationService.evaluate(facts, now), facts, now, Boolean(ctx.user?.remindDeadlines));
    await show(ctx, `${line}\n\n${screen.text}`, screen.keyboard);
  }
  return composer;
}
