/**
 * Calendar dates as ISO strings ("2026-03-14"). Legal deadlines are whole days in
 * Moscow time, so we never carry a time of day or a zone inside a date: that rules
 * out the classic off-by-one of converting midnight between zones.
 */

export type IsoDate = string;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** The time zone of every deadline we compute: migration offices count in Moscow time. */
export const LEGAL_TIME_ZONE = 'Europe/Moscow';

/** Days since 1970-01-01 for an ISO date (throws on a malformed or impossible date). */
export function toDayNumber(date: IsoDate): number {
  const m = ISO_RE.exec(date);
  if (!m) throw new RangeError(`not an ISO date: "${date}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`impossible date: "${date}"`);
  }
  return ms / MS_PER_DAY;
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `b - a` in calendar days. */
export function diffDays(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/**
 * The same day `months` later; when that month is shorter, its last day
 * (31 January + 1 month = 28 February), as Tax Code art. 6.1 п. 5 does.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay();
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Creating an Intl formatter costs far more than using one, so they are kept per zone. */
const QUARTER_HOUR_MS = 15 * 60_000;
const formatters = new Map<string, { format: Intl.DateTimeFormat; quarter: number; date: IsoDate }>();

/** The calendar date in Moscow at the instant `now`. */
export function todayIn(now: Date, timeZone = LEGAL_TIME_ZONE): IsoDate {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = { format: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }), quarter: Number.NaN, date: '' };
    formatters.set(timeZone, f);
  }
  // Every time zone's offset is a whole number of quarter hours, so the date only
  // changes at a quarter-hour boundary in UTC: format once per quarter hour (the
  // Intl call is the slow part of a flow step's date arithmetic).
  const quarter = Math.floor(now.getTime() / QUARTER_HOUR_MS);
  if (quarter !== f.quarter) {
    f.quarter = quarter;
    f.date = f.format.format(now);
  }
  return f.date;
}

/** "14.03.2026": the format Russian documents and offices use, so users can compare. */
export function formatRu(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/**
 * Parses what a user typed: DD.MM.YYYY, also with `/`, `-` or spaces, and 2-digit
 * years. Returns undefined for anything that is not a real calendar date.
 */
export function parseUserDate(input: string): IsoDate | undefined {
  const m = /^\s*(\d{1,2})[./\-\s](\d{1,2})[./\-\s](\d{2}|\d{4})\s*$/.exec(input);
  if (!m) return undefined;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += 2000;
  const iso = `${year}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  try {
    toDayNumber(iso);
    return iso;
  } catch {
    return undefined;
  }
}
