/**
 * "How this was counted": the arithmetic of a computed date in a few words, e.g.
 * "12.02.2026 + 29 дн. → 13.03.2026", so a user (or an official) can check it.
 */
import type { TFunction } from 'i18next';
import { evaluateDate } from '../flow-engine/date-expr.js';
import type { DateExpr } from '../flow-engine/schema.js';
import type { AnswerValue } from '../flow-engine/types.js';
import type { WorkingCalendar } from '../calendar/working-days.js';
import { formatRu, type IsoDate } from '../lib/iso-date.js';


type DateOp = DateExpr['ops'][number];

/**
 * One step of date arithmetic in words ("+ 30 дн.", "перенос на предыдущий рабочий день"),
 * amounts read from `values` (a flow's answers, or a user's facts for a rule's date).
 */
export function describeDateOp(t: TFunction, op: DateOp, values: Record<string, unknown>): string {
  const amount = (a: number | { answer: string; negate?: boolean }) => {
    if (typeof a === 'number') return a;
    const v = Number(values[a.answer] ?? 0);
    return a.negate ? -v : v;
  };
  const signed = (n: number, key: string) => `${n < 0 ? '−' : '+'} ${t(key, { n: Math.abs(n) })}`;
  if ('add_days' in op) return signed(amount(op.add_days), 'how.days');
  if ('add_working_days' in op) return signed(amount(op.add_working_days), 'how.working');
  if ('add_months' in op) return signed(amount(op.add_months), 'how.months');
  if ('next_working_day' in op) return t('how.next-working');
  if ('previous_working_day' in op) return t('how.previous-working');
  if ('next_year_start' in op) return t('how.next-year');
  return t('how.stay', { n: amount(op.stay_last_day.prior_days) });
}

export function explainDate(
  t: TFunction,
  expr: DateExpr,
  ctx: { answers: Record<string, AnswerValue>; today: IsoDate; calendar: WorkingCalendar; computed: Record<string, IsoDate> },
  result: IsoDate,
): string | undefined {
  let origin: IsoDate;
  try {
    origin = evaluateDate({ from: expr.from, ops: [] }, ctx).date;
  } catch {
    return undefined;
  }
  const parts = expr.ops.map((op) => describeDateOp(t, op, ctx.answers));
  if (!parts.length) return undefined;
  return `${t('how.title')}: ${formatRu(origin)} ${parts.join(', ')} → ${formatRu(result)}`;
}
