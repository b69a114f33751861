/**
 * Reading what a user types for a fact, and showing a fact's value back. Pure: the
 * fact's definition, the text and "now" come in; a value or a translated error code
 * comes out. Shared by the facts screen and its dialogues.
 */
import type { TFunction } from 'i18next';
import { FLOWS_NS } from '../flow-engine/flow-texts.js';
import { diffDays, formatRu, type IsoDate, parseUserDate } from '../lib/iso-date.js';
import { modelKeys } from './model-texts.js';
import { toDateTime } from './rule-date.js';
import type { FactDef, FactRecord, FactValue } from './schema.js';

/** Why a typed value was refused; each maps to `facts.errors.<code>`. */
export type FactErrorCode =
  | 'date-format'
  | 'date-future'
  | 'date-too-old'
  | 'datetime-format'
  | 'datetime-future'
  | 'number-format'
  | 'number-range'
  | 'before-issue'
  | 'too-many';

export interface FactError {
  code: FactErrorCode;
  params?: Record<string, string | number>;
}

/** Longest text we try to read as a value. */
const MAX_INPUT = 40;

/** `05.03.2026 14:10` (also `5.3.26 9:05`, `05/03/2026 14.10`). */
const DATETIME_INPUT = /^(.+?)[\s,T]+(\d{1,2})[:.](\d{2})$/;

/**
 * Reads a date-time typed in a zone `offset` hours ahead of UTC (Moscow +3 unless the
 * user's region says otherwise). Refuses impossible times (25:00) and times in the future.
 */
export function readDateTime(text: string, now: Date, offset: number, maxYearsBack: number, allowFuture = false): { value: string } | { error: FactError } {
  const m = DATETIME_INPUT.exec(text.trim());
  const date = m ? parseUserDate(m[1]!) : undefined;
  const hours = Number(m?.[2]);
  const minutes = Number(m?.[3]);
  if (!m || !date || hours > 23 || minutes > 59) return { error: { code: 'datetime-format' } };
  const sign = offset < 0 ? '-' : '+';
  const value = `${date}T${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}${sign}${String(Math.abs(offset)).padStart(2, '0')}:00`;
  // A few minutes' grace for a clock that runs ahead.
  if (!allowFuture && new Date(value).getTime() > now.getTime() + 5 * 60_000) return { error: { code: 'datetime-future' } };
  const today = toDateTime(now, offset).slice(0, 10);
  if (diffDays(date, today) > maxYearsBack * 366) return { error: { code: 'date-too-old', params: { years: maxYearsBack } } };
  return { value };
}

function readDate(text: string, today: IsoDate, allowFuture: boolean, maxYearsBack: number): { value: string } | { error: FactError } {
  const date = text.trim().length <= MAX_INPUT ? parseUserDate(text.trim()) : undefined;
  if (!date) return { error: { code: 'date-format' } };
  if (!allowFuture && date > today) return { error: { code: 'date-future' } };
  if (diffDays(date, today) > maxYearsBack * 366) return { error: { code: 'date-too-old', params: { years: maxYearsBack } } };
  return { value: date };
}

function readNumber(text: string, min: number, max: number): { value: number } | { error: FactError } {
  const raw = text.trim();
  if (raw.length > MAX_INPUT || !/^\d+$/.test(raw)) return { error: { code: 'number-format' } };
  const n = Number(raw);
  if (n < min || n > max) return { error: { code: 'number-range', params: { min, max } } };
  return { value: n };
}

/** Reads a typed value for a date, date-time or number fact. */
export function readFactValue(def: FactDef, text: string, now: Date, today: IsoDate, offset: number): { value: FactValue } | { error: FactError } {
  if (text.length > MAX_INPUT * 2) return { error: { code: def.type === 'number' ? 'number-format' : 'date-format' } };
  if (def.type === 'date') return readDate(text, today, def.allow_future, def.max_years_back);
  if (def.type === 'datetime') return readDateTime(text, now, offset, def.max_years_back, def.allow_future);
  if (def.type === 'number') return readNumber(text, def.min, def.max);
  return { error: { code: 'date-format' } };
}

/** Reads one field of a record being added (a payment's date, then its months). */
export function readRecordField(
  def: Extract<FactDef, { type: 'records' }>,
  field: string,
  text: string,
  today: IsoDate,
  notBefore?: string,
): { value: string | number } | { error: FactError } {
  const f = def.fields[field]!;
  if (f.type === 'number') return readNumber(text, f.min ?? 0, f.max ?? 999);
  const r = readDate(text, today, f.allow_future, 15);
  if ('value' in r && notBefore && field === def.order_by && r.value < addDaysBack(notBefore)) {
    return { error: { code: 'before-issue', params: { date: formatRu(notBefore) } } };
  }
  return r;
}

/**
 * A payment is usually made a few days before the patent is issued (it is issued on the
 * first payment), so a record may come up to a month before `not_before`; earlier is a typo.
 */
const RECORD_GRACE_DAYS = 31;
function addDaysBack(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - RECORD_GRACE_DAYS);
  return d.toISOString().slice(0, 10);
}

/** A fact's value as the user reads it. */
export function formatFactValue(t: TFunction, id: string, def: FactDef | undefined, value: FactValue): string {
  if (!def) return String(value);
  if (def.type === 'choice') return t(modelKeys.factOption(id, String(value)), { ns: FLOWS_NS });
  if (def.type === 'date' && typeof value === 'string') return formatRu(value);
  if (def.type === 'datetime' && typeof value === 'string') return formatDateTime(t, value);
  if (def.type === 'records' && Array.isArray(value)) return formatRecords(t, id, def, value);
  return String(value);
}

export function formatDateTime(t: TFunction, value: string): string {
  const offset = Number(value.slice(16, 19));
  return t('situation.datetime', { date: formatRu(value.slice(0, 10)), time: value.slice(11, 16), zone: offset === 3 ? t('situation.msk') : `UTC${value.slice(16, 19)}` });
}

function formatRecords(t: TFunction, id: string, def: Extract<FactDef, { type: 'records' }>, records: FactRecord[]): string {
  return [...records]
    .sort((a, b) => String(a[def.order_by]).localeCompare(String(b[def.order_by])))
    .map((r) =>
      Object.entries(def.fields)
        .map(([k, f]) => `${t(modelKeys.fieldLabel(id, k), { ns: FLOWS_NS })}: ${f.type === 'date' ? formatRu(String(r[k])) : r[k]}`)
        .join(', '),
    )
    .join('; ');
}
