/**
 * Date and date-time arithmetic of rules. Dates reuse the flows' ops (days, working
 * days, months, the stay limit); on top come hours (a hold counted from delivery) and
 * `paid_through`, the end of a prepaid period built from a list of payments. Pure.
 */
import { CalendarError, type WorkingCalendar } from '../calendar/working-days.js';
import { evaluateDate, MissingAnswerError } from '../flow-engine/date-expr.js';
import { addDays, addMonths, type IsoDate } from '../lib/iso-date.js';
import type { FactMap, FactRecord, RuleDate, RuleOp } from './schema.js';

/** A date-time fact: `2026-03-05T14:10+03:00` (the wall-clock time and the zone it was typed in). */
export const DATETIME_PATTERN = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})([+-]\d{2}):00$/;

export const isDateTime = (v: unknown): v is string => typeof v === 'string' && DATETIME_PATTERN.test(v);

/** The offset, in hours, a date-time was written in. */
export function offsetOf(v: string): number {
  return Number(DATETIME_PATTERN.exec(v)?.[4] ?? 3);
}

/** Formats an instant as a date-time fact in a zone `offset` hours ahead of UTC. */
export function toDateTime(instant: Date, offset: number): string {
  const local = new Date(instant.getTime() + offset * 3_600_000).toISOString();
  const sign = offset < 0 ? '-' : '+';
  return `${local.slice(0, 16)}${sign}${String(Math.abs(offset)).padStart(2, '0')}:00`;
}

export const instantOf = (v: string): Date => new Date(v);

export interface RuleDateValue {
  /** An ISO date, or a date-time for rules counted in hours. */
  value: string;
  provisional: boolean;
}

/**
 * The paid period of a prepaid document: from `start`, each record's months count while
 * the record was paid no later than the last day already paid (the first record is the one
 * the document was issued on). A later record does not extend it: the period had ended.
 */
export function paidThrough(start: IsoDate, records: FactRecord[], dateField: string, monthsField: string, capMonths: number): IsoDate {
  const sorted = [...records].sort((a, b) => String(a[dateField]).localeCompare(String(b[dateField])));
  let months = 0;
  for (const [i, r] of sorted.entries()) {
    const lastPaid = addDays(addMonths(start, months), -1);
    if (i > 0 && String(r[dateField]) > lastPaid) break;
    months = Math.min(capMonths, months + Number(r[monthsField] ?? 0));
  }
  return addDays(addMonths(start, months), -1);
}

function originOf(from: string, facts: FactMap, today: IsoDate): string {
  if (from === 'today') return today;
  const v = facts[from];
  if (typeof v !== 'string') throw new MissingAnswerError(`no date fact "${from}"`);
  return v;
}

const isExtra = (op: RuleOp): op is Extract<RuleOp, { add_hours: number } | { paid_through: unknown }> =>
  'add_hours' in op || 'paid_through' in op;

/**
 * Evaluates a rule's date. Flow ops run on dates; `add_hours` turns a date-time into a
 * later date-time in the same zone.
 * @throws MissingAnswerError when a fact is missing, CalendarError for a year without a calendar.
 */
export function evaluateRuleDate(expr: RuleDate, facts: FactMap, today: IsoDate, calendar: WorkingCalendar): RuleDateValue {
  let value = originOf(expr.from, facts, today);
  let provisional = false;
  let answers: Record<string, string | number> | undefined;
  for (const op of expr.ops) {
    if (isExtra(op)) {
      if ('add_hours' in op) {
        if (!isDateTime(value)) throw new MissingAnswerError(`add_hours needs a date-time, got "${value}"`);
        value = toDateTime(new Date(instantOf(value).getTime() + op.add_hours * 3_600_000), offsetOf(value));
      } else {
        const records = facts[op.paid_through.records];
        if (!Array.isArray(records) || !records.length) throw new MissingAnswerError(`no records "${op.paid_through.records}"`);
        value = paidThrough(value, records, op.paid_through.date, op.paid_through.months, op.paid_through.cap_months);
      }
      continue;
    }
    // A flow op: reuse the flows' own evaluator, one op at a time, with the facts as answers.
    answers ??= Object.fromEntries(Object.entries(facts).filter(([, v]) => !Array.isArray(v))) as Record<string, string | number>;
    const r = evaluateDate({ from: 'today', ops: [op] }, { answers, today: value.slice(0, 10), calendar });
    value = r.date;
    provisional ||= r.provisional;
  }
  return { value, provisional };
}

export { CalendarError, MissingAnswerError };
