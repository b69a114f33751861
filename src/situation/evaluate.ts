/**
 * The situation model's engine: every rule evaluated against a user's facts as of
 * today. Derive rules run first, in file order, and add facts (the patent's paid-until
 * day, an unlawful stay's first day); statuses and deadlines then read them. The engine
 * knows no law: every number and condition comes from `flows/rules.yaml`. Pure.
 */
import { CalendarError, toWorkingDay, type WorkingCalendar } from '../calendar/working-days.js';
import { evaluateCondition } from '../flow-engine/conditions.js';
import { MissingAnswerError } from '../flow-engine/date-expr.js';
import type { Condition } from '../flow-engine/schema.js';
import { diffDays, type IsoDate } from '../lib/iso-date.js';
import { evaluateRuleDate, type RuleDateValue } from './rule-date.js';
import type { DeadlineRule, DeriveRule, FactMap, RuleDef, StatusRule } from './schema.js';
import { compareText } from '../lib/compare-text.js';

export interface LegalDay {
  /** The last day (or, for `moment` rules, the date-time) the law allows. */
  value: string;
  /** The rule reads hours: `value` is a date-time. */
  moment: boolean;
  /** The legal last day is a weekend or holiday. */
  nonWorking: boolean;
  /** Where the law moves such a deadline (or may: `unsettled`), the next working day. */
  nextWorkingDay?: IsoDate;
  ifNonWorking: DeadlineRule['legal_last_day']['if_non_working'];
}

export interface DeadlineResult {
  kind: 'deadline';
  rule: DeadlineRule;
  legal: LegalDay;
  advised?: IsoDate;
  /** The day that decides urgency: the advised day, or the legal one when there is none. */
  actBy: IsoDate;
  /** Days from today to `actBy` (negative: passed). */
  daysLeft: number;
  /** In a year whose calendar a lawyer has not checked (2027). */
  provisional: boolean;
}

export interface StatusResult {
  kind: 'status';
  rule: StatusRule;
  since: IsoDate;
  days: number;
}

export interface MissingFacts {
  rule: DeadlineRule;
  facts: string[];
}

export interface Situation {
  asOf: IsoDate;
  /** The user's facts plus every derived one. */
  facts: FactMap;
  derived: string[];
  /** Statuses first, then urgent deadlines, then by the day to act. */
  items: (StatusResult | DeadlineResult)[];
  /** Deadlines that would apply with a few more facts. */
  missing: MissingFacts[];
  /** A rule needed a year the calendar does not hold (2028 on): say "cannot compute". */
  calendarGaps: number[];
}

export interface RuleSet {
  rules: RuleDef[];
}

/** Conditions over facts; a fact that is missing makes a comparison false rather than an error. */
export function holds(c: Condition, facts: FactMap, today: IsoDate, calendar: WorkingCalendar): boolean {
  try {
    return evaluateCondition(c, { answers: facts as Record<string, string | number>, today, calendar });
  } catch (err) {
    if (err instanceof MissingAnswerError || err instanceof CalendarError) return false;
    throw err;
  }
}

/** Runs the derive rules in order and returns the facts with what they add. */
export function deriveFacts(rules: RuleDef[], facts: FactMap, today: IsoDate, calendar: WorkingCalendar): { facts: FactMap; derived: string[]; calendarGaps: number[] } {
  const out: FactMap = { ...facts };
  const derived: string[] = [];
  const calendarGaps: number[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'derive') continue;
    delete out[rule.id];
    if (!holds(rule.applies, out, today, calendar)) continue;
    const value = deriveOne(rule, out, today, calendar, calendarGaps);
    if (value !== undefined) {
      out[rule.id] = value;
      derived.push(rule.id);
    }
  }
  return { facts: out, derived, calendarGaps };
}

function deriveOne(rule: DeriveRule, facts: FactMap, today: IsoDate, calendar: WorkingCalendar, gaps: number[]): string | undefined {
  if (rule.value) return rule.value.find((v) => !v.if || holds(v.if, facts, today, calendar))?.is;
  if (rule.latest_of) {
    const dates = rule.latest_of.map((id) => facts[id]).filter((v): v is string => typeof v === 'string');
    return dates.length ? dates.sort().at(-1) : undefined;
  }
  return tryDate(() => evaluateRuleDate(rule.date!, facts, today, calendar), gaps)?.value;
}

function tryDate(f: () => RuleDateValue, gaps: number[]): RuleDateValue | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof CalendarError) {
      if (!gaps.includes(err.year)) gaps.push(err.year);
      return undefined;
    }
    if (err instanceof MissingAnswerError) return undefined;
    throw err;
  }
}

function legalDay(rule: DeadlineRule, facts: FactMap, today: IsoDate, calendar: WorkingCalendar, gaps: number[]): { legal: LegalDay; provisional: boolean } | undefined {
  const r = tryDate(() => evaluateRuleDate(rule.legal_last_day.date, facts, today, calendar), gaps);
  if (!r) return undefined;
  const base = { value: r.value, moment: rule.legal_last_day.moment, ifNonWorking: rule.legal_last_day.if_non_working };
  if (base.moment) return { legal: { ...base, nonWorking: false }, provisional: r.provisional };
  try {
    const nonWorking = !calendar.isWorkingDay(r.value);
    // The calendar matters when working days were counted or a day off may move the deadline.
    const provisional = r.provisional || (base.ifNonWorking !== 'stays' && calendar.isProvisional(r.value));
    if (!nonWorking || base.ifNonWorking === 'stays') return { legal: { ...base, nonWorking }, provisional };
    const next = toWorkingDay(calendar, r.value, 1);
    return { legal: { ...base, nonWorking, nextWorkingDay: next.date }, provisional: provisional || next.provisional };
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err;
    if (!gaps.includes(err.year)) gaps.push(err.year);
    return undefined;
  }
}

/**
 * Evaluates every rule against `facts` as of `today` (or only the deadline and status
 * rules in `only`, for an answer screen that lists a few; derivations always run).
 */
export function evaluateSituation(ruleSet: RuleSet, userFacts: FactMap, today: IsoDate, calendar: WorkingCalendar, only?: readonly string[]): Situation {
  const { facts, derived, calendarGaps } = deriveFacts(ruleSet.rules, userFacts, today, calendar);
  const items: (StatusResult | DeadlineResult)[] = [];
  const missing: MissingFacts[] = [];
  for (const rule of ruleSet.rules) {
    if (rule.kind === 'derive' || (only && !only.includes(rule.id))) continue;
    if (!holds(rule.applies, facts, today, calendar)) {
      if (rule.kind === 'deadline' && rule.offer_if && holds(rule.offer_if, facts, today, calendar)) {
        const absent = rule.needs.filter((f) => facts[f] === undefined);
        if (absent.length) missing.push({ rule, facts: absent });
      }
      continue;
    }
    if (rule.kind === 'status') {
      const since = tryDate(() => evaluateRuleDate(rule.since, facts, today, calendar), calendarGaps);
      if (since) items.push({ kind: 'status', rule, since: since.value.slice(0, 10), days: diffDays(since.value.slice(0, 10), today) });
      continue;
    }
    const l = legalDay(rule, facts, today, calendar, calendarGaps);
    if (!l) continue;
    const advised = rule.advised_day ? tryDate(() => evaluateRuleDate(rule.advised_day!, facts, today, calendar), calendarGaps) : undefined;
    if (rule.advised_day && !advised) continue;
    const actBy = advised?.value ?? l.legal.value.slice(0, 10);
    items.push({
      kind: 'deadline',
      rule,
      legal: l.legal,
      advised: advised?.value,
      actBy,
      daysLeft: diffDays(today, actBy),
      provisional: l.provisional || Boolean(advised?.provisional),
    });
  }
  items.sort(compareItems);
  return { asOf: today, facts, derived, items, missing, calendarGaps };
}

function rank(i: StatusResult | DeadlineResult): number {
  if (i.kind === 'status') return 0;
  return i.rule.urgent ? 1 : 2;
}

function compareItems(a: StatusResult | DeadlineResult, b: StatusResult | DeadlineResult): number {
  const r = rank(a) - rank(b);
  if (r) return r;
  if (a.kind === 'deadline' && b.kind === 'deadline') return compareText(a.legal.value, b.legal.value) || compareText(a.actBy, b.actBy);
  return 0;
}
