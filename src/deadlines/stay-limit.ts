/**
 * The stay limit for visa-free foreigners since 1 January 2025 (115-ФЗ ст. 5 п. 1 as
 * amended by 260-ФЗ): at most 90 days in total per calendar year, and at most 90
 * days in a row. Entry and exit days both count (day 90 of a stay = entry + 89),
 * the safe reading of an unsettled point. Pure functions: no clock, no I/O.
 */
import { addDays, diffDays, type IsoDate, yearOf } from '../lib/iso-date.js';

/** Most days a visa-free foreigner may stay per calendar year, and in a row. */
export const STAY_LIMIT_DAYS = 90;

export interface Trip {
  entry: IsoDate;
  /** Absent while the person is still in Russia. */
  exit?: IsoDate;
}

/** Days of `year` spent in Russia over all trips (entry and exit days included). */
export function daysInYear(trips: Trip[], year: number, today: IsoDate): number {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  let total = 0;
  for (const t of trips) {
    const from = t.entry > first ? t.entry : first;
    const endOfTrip = t.exit ?? today;
    const to = endOfTrip < last ? endOfTrip : last;
    if (to >= from) total += diffDays(from, to) + 1;
  }
  return total;
}

/**
 * The last day a person who entered on `entry` may stay, having already spent
 * `priorDays` days in Russia earlier in the entry's calendar year. If the stay runs
 * into the next year, that year's count starts afresh, and the 90-days-in-a-row
 * limit decides. Returns a date before `entry` when the year's days are used up.
 */
export function lastAllowedDay(entry: IsoDate, priorDays: number): IsoDate {
  const remaining = STAY_LIMIT_DAYS - priorDays;
  if (remaining <= 0) return addDays(entry, -1);
  const byYear = addDays(entry, remaining - 1);
  const yearEnd = `${yearOf(entry)}-12-31`;
  return byYear < yearEnd ? byYear : addDays(entry, STAY_LIMIT_DAYS - 1);
}

/** The current stay, from all trips: days used this year and the last allowed day. */
export function stayStatus(trips: Trip[], today: IsoDate): { usedThisYear: number; lastDay?: IsoDate } {
  const usedThisYear = daysInYear(trips, yearOf(today), today);
  const current = trips.find((t) => !t.exit || t.exit >= today);
  if (!current) return { usedThisYear };
  const prior = daysInYear(
    trips.filter((t) => t !== current),
    yearOf(current.entry),
    today,
  );
  return { usedThisYear, lastDay: lastAllowedDay(current.entry, prior) };
}
