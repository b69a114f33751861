import { describe, expect, it } from 'vitest';
import { addMonths, formatRu, parseUserDate, todayIn } from '../../src/lib/iso-date.js';

describe('dates', () => {
  it('adds months the way the Tax Code does: a missing day becomes the month’s last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29'); // leap year
    expect(addMonths('2026-01-29', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-03-10', 12)).toBe('2027-03-10');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('reads dates as people type them and refuses impossible ones', () => {
    expect(parseUserDate('05.03.2026')).toBe('2026-03-05');
    expect(parseUserDate(' 5/3/2026 ')).toBe('2026-03-05');
    expect(parseUserDate('5-3-26')).toBe('2026-03-05');
    expect(parseUserDate('29.02.2028')).toBe('2028-02-29');
    expect(parseUserDate('29.02.2026')).toBeUndefined();
    expect(parseUserDate('31.04.2026')).toBeUndefined();
    expect(parseUserDate('2026-03-05')).toBeUndefined();
    expect(parseUserDate('вчера')).toBeUndefined();
  });

  it('takes today in Moscow time, not UTC', () => {
    expect(todayIn(new Date('2026-03-01T22:30:00Z'))).toBe('2026-03-02');
    expect(formatRu('2026-03-02')).toBe('02.03.2026');
  });
});
