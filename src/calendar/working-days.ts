/**
 * Working-day arithmetic over the production calendar. A date in a year the
 * calendar does not hold is an explicit error, never a guess: a wrong working-day
 * count can make a migrant miss a registration deadline.
 */
import { addDays, dayOfWeek, type IsoDate, yearOf } from '../lib/iso-date.js';
import { type CalendarYear, RUSSIA_CALENDAR } from './russia-calendar.js';

export class CalendarError extends Error {
  override readonly name = 'CalendarError';
  constructor(readonly year: number) {
    super(`the production calendar has no data for ${year}`);
  }
}

/** Longest run of consecutive non-working days we accept before assuming bad data. */
const MAX_DAYS_OFF_IN_A_ROW = 20;
/** Days whose working-day answer is kept: every day of a few decades. */
const MAX_CACHED_DAYS = 20_000;
/** Results of `addWorkingDays` kept per calendar (a date and a count: a few thousand in practice). */
const MAX_CACHED_SUMS = 50_000;
const sums = new WeakMap<WorkingCalendar, Map<string, CalendarResult>>();

export interface WorkingCalendar {
  isWorkingDay(date: IsoDate): boolean;
  /** True when the year's calendar is provisional (not yet checked by a lawyer against the decree). */
  isProvisional(date: IsoDate): boolean;
  knownYears(): number[];
}

interface PreparedYear {
  off: Set<string>;
  on: Set<string>;
  provisional: boolean;
}

export function createWorkingCalendar(
  data: Readonly<Record<number, CalendarYear>> = RUSSIA_CALENDAR,
): WorkingCalendar {
  const years = new Map<number, PreparedYear>();
  for (const [y, cal] of Object.entries(data)) {
    years.set(Number(y), {
      off: new Set(cal.nonWorkingWeekdays),
      on: new Set(cal.workingWeekends),
      provisional: cal.provisional,
    });
  }
  const yearData = (date: IsoDate): PreparedYear => {
    const y = yearOf(date);
    const found = years.get(y);
    if (!found) throw new CalendarError(y);
    return found;
  };
  // Rules walk the same few hundred days over and over (every rule, every user, every
  // screen): each day's answer is worked out once. At most a few thousand days are known.
  const known = new Map<IsoDate, boolean>();
  return {
    isWorkingDay(date) {
      const cached = known.get(date);
      if (cached !== undefined) return cached;
      const y = yearData(date);
      const md = date.slice(5);
      const dow = dayOfWeek(date);
      const working = dow === 0 || dow === 6 ? y.on.has(md) : !y.off.has(md);
      if (known.size < MAX_CACHED_DAYS) known.set(date, working);
      return working;
    },
    isProvisional(date) {
      return yearData(date).provisional;
    },
    knownYears() {
      return [...years.keys()].sort();
    },
  };
}

export interface CalendarResult {
  date: IsoDate;
  /** Whether any day looked at lies in a provisional year. */
  provisional: boolean;
}

/**
 * The n-th working day after `date` (n > 0), or before it (n < 0). The start date
 * itself is never counted, as civil-law deadlines start the day after the event.
 */
export function addWorkingDays(cal: WorkingCalendar, date: IsoDate, n: number): CalendarResult {
  let cache = sums.get(cal);
  if (!cache) {
    cache = new Map();
    sums.set(cal, cache);
  }
  const key = `${date}|${n}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = countWorkingDays(cal, date, n);
  if (cache.size >= MAX_CACHED_SUMS) cache.clear();
  cache.set(key, result);
  return result;
}

function countWorkingDays(cal: WorkingCalendar, date: IsoDate, n: number): CalendarResult {
  const dir = n >= 0 ? 1 : -1;
  let left = Math.abs(n);
  let d = date;
  let provisional = false;
  while (left > 0) {
    d = addDays(d, dir);
    provisional ||= cal.isProvisional(d);
    if (cal.isWorkingDay(d)) left--;
  }
  return { date: d, provisional };
}

/** Moves a non-working day to the nearest working day in the given direction. */
export function toWorkingDay(cal: WorkingCalendar, date: IsoDate, dir: 1 | -1): CalendarResult {
  let d = date;
  let provisional = cal.isProvisional(d);
  for (let i = 0; !cal.isWorkingDay(d); i++) {
    if (i > MAX_DAYS_OFF_IN_A_ROW) throw new Error(`no working day within ${MAX_DAYS_OFF_IN_A_ROW} days of ${date}`);
    d = addDays(d, dir);
    provisional ||= cal.isProvisional(d);
  }
  return { date: d, provisional };
}

/** Working days strictly after `from` up to and including `to` (negative when `to` is earlier). */
export function workingDaysBetween(
  cal: WorkingCalendar,
  from: IsoDate,
  to: IsoDate,
): { count: number; provisional: boolean } {
  const dir = to > from ? 1 : -1;
  let count = 0;
  let d = from;
  let provisional = false;
  while (d !== to) {
    d = addDays(d, dir);
    provisional ||= cal.isProvisional(d);
    if (cal.isWorkingDay(d)) count++;
  }
  return { count: count * dir, provisional };
}
