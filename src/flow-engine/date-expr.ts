/**
 * Evaluates the date arithmetic a flow declares (`from` + `ops`). Pure: the user's
 * answers and "today" come in, a date and whether it is provisional come out.
 */
import {
  addWorkingDays,
  CalendarError,
  toWorkingDay,
  type WorkingCalendar,
} from '../calendar/working-days.js';
import { lastAllowedDay } from '../deadlines/stay-limit.js';
import { addDays, addMonths, type IsoDate, yearOf } from '../lib/iso-date.js';
import type { DateExpr } from './schema.js';
import type { AnswerValue } from './types.js';

export interface DateContext {
  answers: Record<string, AnswerValue>;
  today: IsoDate;
  calendar: WorkingCalendar;
  /** Dates computed earlier in the same outcome, by id. */
  computed?: Record<string, IsoDate>;
}

export interface DateValue {
  date: IsoDate;
  provisional: boolean;
}

/** A date expression refers to an answer the user has not given (a flow bug the checker should catch). */
export class MissingAnswerError extends Error {
  override readonly name = 'MissingAnswerError';
}

type Amount = number | { answer: string; negate?: boolean };

function amount(a: Amount, answers: Record<string, AnswerValue>): number {
  if (typeof a === 'number') return a;
  const v = answers[a.answer];
  if (typeof v !== 'number') throw new MissingAnswerError(`no number answer for "${a.answer}"`);
  return a.negate ? -v : v;
}

function origin(expr: DateExpr, ctx: DateContext): IsoDate {
  if (expr.from === 'today') return ctx.today;
  if (typeof expr.from === 'object') {
    const d = ctx.computed?.[expr.from.date];
    if (!d) throw new MissingAnswerError(`no computed date "${expr.from.date}"`);
    return d;
  }
  const v = ctx.answers[expr.from];
  if (typeof v !== 'string') throw new MissingAnswerError(`no date answer for "${expr.from}"`);
  // A date-time answer (2026-12-31T22:30+03:00) counts by its day, in the zone it was given in.
  return v.length > 10 ? v.slice(0, 10) : v;
}

/** @throws CalendarError when working days are needed in a year the calendar does not hold. */
export function evaluateDate(expr: DateExpr, ctx: DateContext): DateValue {
  let date = origin(expr, ctx);
  let provisional = false;
  for (const op of expr.ops) {
    if ('add_days' in op) date = addDays(date, amount(op.add_days, ctx.answers));
    else if ('add_months' in op) date = addMonths(date, amount(op.add_months, ctx.answers));
    else if ('next_year_start' in op) date = `${yearOf(date) + 1}-01-01`;
    else if ('stay_last_day' in op) date = lastAllowedDay(date, amount(op.stay_last_day.prior_days, ctx.answers));
    else if ('add_working_days' in op) {
      const r = addWorkingDays(ctx.calendar, date, amount(op.add_working_days, ctx.answers));
      date = r.date;
      provisional ||= r.provisional;
    } else {
      const r = toWorkingDay(ctx.calendar, date, 'next_working_day' in op ? 1 : -1);
      date = r.date;
      provisional ||= r.provisional;
    }
  }
  return { date, provisional };
}

export { CalendarError };
