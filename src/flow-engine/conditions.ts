/**
 * The closed vocabulary of conditions a flow may put on its routes. No code is
 * ever evaluated from a flow file: lawyers can review every rule as text.
 */
import { workingDaysBetween } from '../calendar/working-days.js';
import { diffDays } from '../lib/iso-date.js';
import { type DateContext, evaluateDate } from './date-expr.js';
import type { Condition } from './schema.js';

interface Comparison {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

function compare(v: number, c: Comparison): boolean {
  if (c.gt !== undefined && !(v > c.gt)) return false;
  if (c.gte !== undefined && !(v >= c.gte)) return false;
  if (c.lt !== undefined && !(v < c.lt)) return false;
  if (c.lte !== undefined && !(v <= c.lte)) return false;
  if (c.eq !== undefined && v !== c.eq) return false;
  return true;
}

function dateOf(ref: string | Parameters<typeof evaluateDate>[0], ctx: DateContext) {
  return evaluateDate(typeof ref === 'string' ? { from: ref, ops: [] } : ref, ctx).date;
}

function daysBetween(from: string, to: string, unit: 'calendar' | 'working' | undefined, ctx: DateContext) {
  return unit === 'working' ? workingDaysBetween(ctx.calendar, from, to).count : diffDays(from, to);
}

export function evaluateCondition(c: Condition, ctx: DateContext): boolean {
  if ('all' in c) return c.all.every((x) => evaluateCondition(x, ctx));
  if ('any' in c) return c.any.some((x) => evaluateCondition(x, ctx));
  if ('not' in c) return !evaluateCondition(c.not, ctx);
  if ('known' in c) return ctx.answers[c.known] !== undefined;
  if ('in' in c) {
    const v = ctx.answers[c.answer];
    return typeof v === 'string' && c.in.includes(v);
  }
  if ('number' in c) {
    const v = ctx.answers[c.number];
    return typeof v === 'number' && compare(v, c);
  }
  if ('days_between' in c) {
    return compare(diffDays(dateOf(c.days_between.from, ctx), dateOf(c.days_between.to, ctx)), c);
  }
  if ('days_since' in c) {
    return compare(daysBetween(dateOf(c.days_since, ctx), ctx.today, c.unit, ctx), c);
  }
  return compare(daysBetween(ctx.today, dateOf(c.days_until, ctx), c.unit, ctx), c);
}
