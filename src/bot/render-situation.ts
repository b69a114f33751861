/**
 * "My situation" and "What the bot knows" as Telegram messages: every deadline with
 * its legal last day (and what happens when that is a day off) and the advised day,
 * each with "how counted", the days left, the source, the review date and ⚠ where
 * the law is unsettled; statuses first; the facts used and the ones that would
 * complete the picture, each one tap away.
 */
import { regionalHolidaysBetween } from '../calendar/regional-holidays.js';
import { InlineKeyboard } from 'grammy';
import type { TFunction } from 'i18next';
import { daysLeft } from '../deadlines/date-labels.js';
import { describeDateOp } from '../deadlines/explain-date.js';
import { FLOWS_NS } from '../flow-engine/flow-texts.js';
import type { Citation } from '../flow-engine/schema.js';
import { trusted } from '../i18n/i18n.js';
import { formatRu, type IsoDate, yearOf } from '../lib/iso-date.js';
import { escapeHtml } from '../lib/telegram-html.js';
import type { DeadlineResult, Situation, StatusResult } from '../situation/evaluate.js';
import { formatDateTime, formatFactValue } from '../situation/fact-values.js';
import { modelKeys } from '../situation/model-texts.js';
import type { SituationModel } from '../situation/model.js';
import type { FactMap, RuleDate } from '../situation/schema.js';
import { cb } from './callback-data.js';

/** Telegram's limit is 4,096 characters; we stop adding items well before it. */
const MAX_TEXT = 3_600;

export function renderCitations(t: TFunction, citations: Citation[]): string {
  const list = citations.map((c) => escapeHtml(c.article ? `${c.law}, ст. ${c.article}` : c.law)).join('; ');
  return t('outcome.sources', { list: trusted(list) });
}

/**
 * The date expression a derived date fact came from, so "how counted" can start from
 * what the user told (day 90 of the stay: entry + 89 days) rather than from the derived date.
 */
function derivation(model: SituationModel, id: string, facts: FactMap): RuleDate | undefined {
  const rule = model.rules.find((r) => r.id === id);
  if (rule?.kind !== 'derive') return undefined;
  if (rule.date) return rule.date;
  // The latest of several dates: the one that won.
  const source = rule.latest_of?.find((f) => facts[f] === facts[id]);
  return source ? (derivation(model, source, facts) ?? { from: source, ops: [] }) : undefined;
}

/** "how counted: 12.02.2026 + 30 дн. → 14.03.2026" for a rule's date. */
export function explainRuleDate(t: TFunction, model: SituationModel, given: RuleDate, facts: FactMap, result: string): string | undefined {
  let expr = given;
  // Walk back through derived facts while the date is only a derived one (no arithmetic of its own).
  for (let depth = 0; depth < 5 && !model.facts[expr.from]; depth++) {
    const from = derivation(model, expr.from, facts);
    if (!from) break;
    expr = { from: from.from, ops: [...from.ops, ...expr.ops] };
  }
  if (!expr.ops.length) return undefined;
  const origin = expr.from === 'today' ? undefined : facts[expr.from];
  if (typeof origin !== 'string') return undefined;
  const parts = expr.ops.map((op) => {
    if ('add_hours' in op) return `${op.add_hours < 0 ? '−' : '+'} ${t('how.hours', { n: Math.abs(op.add_hours) })}`;
    if ('paid_through' in op) return t('how.paid-through', { fact: t(modelKeys.factLabel(op.paid_through.records), { ns: FLOWS_NS }), max: op.paid_through.cap_months });
    return describeDateOp(t, op, facts);
  });
  const show = (v: string) => (v.length > 10 ? formatDateTime(t, v) : formatRu(v));
  return `${t('how.title')}: ${show(origin)} ${parts.join(', ')} → ${show(result)}`;
}

function footer(t: TFunction, rule: { citations: Citation[]; reviewed_on: string; uncertain?: string; id: string }): string[] {
  const lines = [`${renderCitations(t, rule.citations)}. ${t('outcome.reviewed', { date: formatRu(rule.reviewed_on) })}`];
  if (rule.uncertain) lines.push(t('situation.uncertain', { text: trusted(t(modelKeys.ruleUncertain(rule.id), { ns: FLOWS_NS })) }));
  return lines;
}

function renderStatus(t: TFunction, s: StatusResult): string {
  return [
    `🔴 <b>${t(modelKeys.ruleTitle(s.rule.id), { ns: FLOWS_NS })}</b> — ${t('situation.since', { date: formatRu(s.since), count: s.days })}`,
    t(modelKeys.ruleText(s.rule.id), { ns: FLOWS_NS }),
    ...footer(t, s.rule),
  ].join('\n');
}

function hoursLeft(t: TFunction, moment: string, now: Date): string {
  const ms = new Date(moment).getTime() - now.getTime();
  if (ms <= 0) return t('situation.moment-passed');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  return t('situation.moment-left', { h, m });
}

/**
 * One deadline: title, legal last day (and the day-off rule), advised day, each with
 * "how counted". `compact` (under a flow's answer, which has its own text and sources)
 * leaves out the rule's text and sources.
 */
export function renderDeadline(t: TFunction, model: SituationModel, d: DeadlineResult, facts: FactMap, today: IsoDate, now: Date, compact = false): string {
  const title = t(modelKeys.ruleTitle(d.rule.id), { ns: FLOWS_NS });
  const lines = [`${d.rule.urgent ? '🔴' : '⏰'} <b>${title}</b>`];
  if (d.legal.moment) {
    lines.push(`• ${t('situation.moment', { time: formatDateTime(t, d.legal.value), left: trusted(hoursLeft(t, d.legal.value, now)) })}`);
    const how = explainRuleDate(t, model, d.rule.legal_last_day.date, facts, d.legal.value);
    if (how) lines.push(`  <i>${how}</i>`);
  } else {
    lines.push(`• ${t('situation.legal', { date: formatRu(d.legal.value) })}`);
    const how = explainRuleDate(t, model, d.rule.legal_last_day.date, facts, d.legal.value);
    if (how) lines.push(`  <i>${how}</i>`);
    if (d.legal.nonWorking) {
      const next = d.legal.nextWorkingDay ? formatRu(d.legal.nextWorkingDay) : '';
      lines.push(`  ${t(`situation.non-working.${d.legal.ifNonWorking}`, { next })}`);
    }
    if (d.advised) {
      lines.push(`• ${t('situation.advised', { date: formatRu(d.advised), left: trusted(daysLeft(t, d.advised, today)) })}`);
      const howAdvised = explainRuleDate(t, model, d.rule.advised_day!, facts, d.advised);
      if (howAdvised) lines.push(`  <i>${howAdvised}</i>`);
    }
  }
  // The provisional year is the latest one the dates reach (a 2026 advised day can rest on a 2027 legal day).
  if (d.provisional) lines.push(t('outcome.provisional', { year: yearOf(d.legal.nextWorkingDay ?? d.legal.value) }));
  if (!d.legal.moment) {
    // Tatarstan, Bashkortostan: a regional day off inside the window (shared/legal/calendar.md).
    const regional = regionalHolidaysBetween(facts.region, today, d.legal.value.slice(0, 10));
    if (regional.dates.length) lines.push(t('situation.regional-holiday', { dates: regional.dates.map(formatRu).join(', ') }));
    for (const year of regional.unknownYears) lines.push(t('situation.regional-unknown', { year }));
  }
  if (compact) return lines.join('\n');
  lines.push(t(modelKeys.ruleText(d.rule.id), { ns: FLOWS_NS }));
  lines.push(...footer(t, d.rule));
  return lines.join('\n');
}

/** The facts a situation used, one line each, for the end of My situation. */
export function renderFacts(t: TFunction, model: SituationModel, facts: FactMap): string {
  const lines = Object.entries(facts)
    .filter(([id]) => model.facts[id])
    .map(([id, v]) => `• ${t(modelKeys.factLabel(id), { ns: FLOWS_NS })}: ${escapeHtml(formatFactValue(t, id, model.facts[id], v))}`);
  return lines.length ? [t('situation.facts-used'), ...lines].join('\n') : t('situation.no-facts');
}

export interface SituationScreen {
  text: string;
  keyboard: InlineKeyboard;
}

export function renderSituation(
  t: TFunction,
  model: SituationModel,
  situation: Situation,
  userFacts: FactMap,
  now: Date,
  remindOn: boolean,
  savedDates: { label: string; date: IsoDate }[] = [],
): SituationScreen {
  const parts = [t('situation.title', { date: formatRu(situation.asOf) })];
  let length = parts[0]!.length;
  let hidden = 0;
  for (const item of situation.items) {
    const block = item.kind === 'status' ? renderStatus(t, item) : renderDeadline(t, model, item, situation.facts, situation.asOf, now);
    if (length + block.length > MAX_TEXT) {
      hidden++;
      continue;
    }
    parts.push(block);
    length += block.length;
  }
  if (!situation.items.length) parts.push(t('situation.nothing'));
  if (hidden) parts.push(t('situation.more', { count: hidden }));
  for (const year of situation.calendarGaps) parts.push(t('outcome.date-error', { year }));
  const ahead = savedDates.filter((d) => d.date >= situation.asOf);
  if (ahead.length) {
    parts.push([t('situation.saved-dates'), ...ahead.slice(0, 8).map((d) => `• ${d.label}: <b>${formatRu(d.date)}</b> (${daysLeft(t, d.date, situation.asOf)})`)].join('\n'));
  }
  const factsBlock = renderFacts(t, model, userFacts);
  if (length + factsBlock.length < MAX_TEXT + 300) parts.push(factsBlock);
  const kb = new InlineKeyboard();
  const offered = new Set<string>();
  for (const m of situation.missing) {
    const fact = m.facts[0]!;
    if (offered.has(fact) || offered.size >= 4) continue;
    offered.add(fact);
    kb.text(t('situation.add', { fact: trusted(t(modelKeys.factLabel(fact), { ns: FLOWS_NS })), rule: trusted(t(modelKeys.ruleTitle(m.rule.id), { ns: FLOWS_NS })) }), cb.factEdit(fact)).row();
  }
  if (offered.size) parts.push(t('situation.missing'));
  if (situation.items.some((i) => i.kind === 'deadline' && i.rule.remind)) {
    kb.text(t(remindOn ? 'situation.remind-off' : 'situation.remind-on'), cb.situationRemind(!remindOn)).row();
  }
  kb.text(t('situation.known'), cb.facts).text(t('menu.dates'), cb.dates).row();
  kb.text(t('menu.lawyer'), cb.lawyer).text(t('nav.menu'), cb.menu);
  return { text: parts.join('\n\n'), keyboard: kb };
}

/** "What the bot knows about me": every fact with change and delete, and delete all. */
export function renderKnownFacts(t: TFunction, model: SituationModel, facts: FactMap): SituationScreen {
  const kb = new InlineKeyboard();
  const lines = [t('facts.title')];
  const known = Object.entries(facts).filter(([id]) => model.facts[id]);
  for (const [id, v] of known) {
    const def = model.facts[id]!;
    const label = t(modelKeys.factLabel(id), { ns: FLOWS_NS });
    lines.push(`• ${label}: <b>${escapeHtml(formatFactValue(t, id, def, v))}</b>${def.personal ? ' 🔒' : ''}`);
    kb.text(`✏️ ${label}`, cb.factEdit(id)).text('🗑', cb.factDelete(id)).row();
  }
  if (!known.length) lines.push(t('facts.none'));
  else lines.push(t('facts.hint'));
  kb.text(t('facts.add-payment'), cb.factEdit('patent-payments')).row();
  if (known.length) kb.text(t('facts.delete-all'), cb.factsDeleteAll).row();
  kb.text(t('situation.open'), cb.situation).text(t('nav.menu'), cb.menu);
  return { text: lines.join('\n'), keyboard: kb };
}
