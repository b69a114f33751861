/**
 * Regional non-working holidays (not in the federal production calendar). Source:
 * `shared/legal/calendar.md` "Regional holidays": Tatarstan and Bashkortostan make
 * Uraza-bayram and Kurban-bayram non-working (2026: Fri 20 Mar, Wed 27 May); Bashkortostan
 * also 11 October (Republic Day; a Sunday in 2026). The dates are set by regional decree
 * each year; 2027's were not found, so a window reaching into such a year is reported as
 * unknown rather than guessed.
 *
 * Deadlines are still counted on the federal calendar: a regional day off could only move
 * a working-day deadline later, so the federal count is the earlier, safe date. The answer
 * says that a regional holiday falls inside the window (or may: unknown year), and why the
 * date shown is the one to keep.
 */
import { addDays, dayOfWeek, type IsoDate, yearOf } from '../lib/iso-date.js';

/** Region id (the `region` fact's options) → year → non-working days, MM-DD. */
export const REGIONAL_HOLIDAYS: Readonly<Record<string, Readonly<Record<number, readonly string[]>>>> = {
  tatarstan: { 2026: ['03-20', '05-27'] },
  bashkortostan: { 2026: ['03-20', '05-27', '10-11'] },
};

export interface RegionalHolidays {
  /** Regional days off on weekdays from `from` (exclusive) to `to` (inclusive). */
  dates: IsoDate[];
  /** Years in the window whose regional holidays we do not know. */
  unknownYears: number[];
}

/** The regional holidays that may matter for a deadline running from `from` to `to`. */
export function regionalHolidaysBetween(region: unknown, from: IsoDate, to: IsoDate): RegionalHolidays {
  const table = typeof region === 'string' ? REGIONAL_HOLIDAYS[region] : undefined;
  if (!table || to <= from) return { dates: [], unknownYears: [] };
  const dates: IsoDate[] = [];
  const unknown = new Set<number>();
  for (let y = yearOf(from); y <= yearOf(to); y++) {
    const days = table[y];
    if (!days) {
      unknown.add(y);
      continue;
    }
    for (const md of days) {
      const d = `${y}-${md}`;
      const dow = dayOfWeek(d);
      if (d > from && d <= to && dow !== 0 && dow !== 6) dates.push(d);
    }
  }
  // A window that starts on 31 December reaches no day of the next year before 1 January.
  if (addDays(from, 1) > to) unknown.clear();
  return { dates: dates.sort(), unknownYears: [...unknown].sort() };
}
