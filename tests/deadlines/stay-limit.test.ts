import { describe, expect, it } from 'vitest';
import { daysInYear, lastAllowedDay, stayStatus } from '../../src/deadlines/stay-limit.js';

describe('the 90-days-per-calendar-year stay limit', () => {
  it('counts entry and exit days over several trips in a year', () => {
    const trips = [
      { entry: '2026-01-10', exit: '2026-02-08' }, // 30 days
      { entry: '2026-04-01', exit: '2026-04-20' }, // 20 days
      { entry: '2026-06-01' }, // still here
    ];
    expect(daysInYear(trips, 2026, '2026-06-10')).toBe(60);
    // 50 days used before this entry: 40 left → 01.06 + 39 = 10.07.2026.
    expect(stayStatus(trips, '2026-06-10')).toEqual({ usedThisYear: 60, lastDay: '2026-07-10' });
  });

  it('splits a trip across New Year between the two years', () => {
    const trips = [{ entry: '2025-12-20', exit: '2026-01-15' }];
    expect(daysInYear(trips, 2025, '2026-02-01')).toBe(12);
    expect(daysInYear(trips, 2026, '2026-02-01')).toBe(15);
  });

  it('lets the year’s count restart on 1 January but keeps the 90-days-in-a-row limit', () => {
    // 60 days earlier in 2026; entry 15.12.2026: 17 days in 2026 (77 ≤ 90); then 2027 counts afresh.
    expect(lastAllowedDay('2026-12-15', 60)).toBe('2027-03-14');
    // Without the restart, 30 days left would have ended the stay on 13.01.2027.
    expect(lastAllowedDay('2026-12-01', 80)).toBe('2026-12-10');
  });

  it('gives day 90 as entry + 89, and a day before entry when the year is used up', () => {
    expect(lastAllowedDay('2026-03-01', 0)).toBe('2026-05-29');
    expect(lastAllowedDay('2026-03-01', 90)).toBe('2026-02-28');
  });

  it('counts a leap year’s 29 February', () => {
    expect(daysInYear([{ entry: '2028-02-28', exit: '2028-03-01' }], 2028, '2028-03-10')).toBe(3);
    expect(lastAllowedDay('2028-01-01', 0)).toBe('2028-03-30'); // 31 + 29 + 30 = 90
  });
});
