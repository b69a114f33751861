import { describe, expect, it } from 'vitest';
import { regionalHolidaysBetween } from '../../src/calendar/regional-holidays.js';

describe('regional holidays (calendar.md: Tatarstan, Bashkortostan)', () => {
  it('lists the weekday regional days off inside a deadline window', () => {
    // Uraza-bayram Fri 20.03.2026, Kurban-bayram Wed 27.05.2026; 11.10.2026 is a Sunday.
    expect(regionalHolidaysBetween('tatarstan', '2026-03-10', '2026-03-25').dates).toEqual(['2026-03-20']);
    expect(regionalHolidaysBetween('bashkortostan', '2026-03-01', '2026-10-31').dates).toEqual(['2026-03-20', '2026-05-27']);
    expect(regionalHolidaysBetween('moscow', '2026-03-10', '2026-03-25')).toEqual({ dates: [], unknownYears: [] });
    expect(regionalHolidaysBetween(undefined, '2026-03-10', '2026-03-25').dates).toEqual([]);
  });

  it('says a year is unknown instead of guessing (2027 dates were not found)', () => {
    expect(regionalHolidaysBetween('tatarstan', '2026-12-20', '2027-01-15')).toEqual({ dates: [], unknownYears: [2027] });
  });
});
