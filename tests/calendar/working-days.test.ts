import { describe, expect, it } from 'vitest';
import { addWorkingDays, CalendarError, createWorkingCalendar, toWorkingDay, workingDaysBetween } from '../../src/calendar/working-days.js';

const cal = createWorkingCalendar();

describe('Russian production calendar', () => {
  it('treats the 2026 New Year holidays (1–11 January) as days off and 12 January as the first working day', () => {
    for (const d of ['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11']) {
      expect(cal.isWorkingDay(d), d).toBe(false);
    }
    expect(cal.isWorkingDay('2026-01-12')).toBe(true);
  });

  it('moves 8 March 2026 (a Sunday) to Monday 9 March', () => {
    expect(cal.isWorkingDay('2026-03-09')).toBe(false);
    expect(cal.isWorkingDay('2026-03-10')).toBe(true);
  });

  it('knows 1 May and 11 May 2026 (9 May falls on a Saturday) are days off, and 4 November', () => {
    expect(cal.isWorkingDay('2026-05-01')).toBe(false);
    expect(cal.isWorkingDay('2026-05-11')).toBe(false);
    expect(cal.isWorkingDay('2026-05-08')).toBe(true);
    expect(cal.isWorkingDay('2026-11-04')).toBe(false);
    expect(cal.isWorkingDay('2026-11-03')).toBe(true);
    expect(cal.isWorkingDay('2026-12-31')).toBe(false);
  });

  it('counts the 2025 working Saturday (1 November) as a working day', () => {
    expect(cal.isWorkingDay('2025-11-01')).toBe(true);
    expect(cal.isWorkingDay('2025-11-03')).toBe(false);
  });

  it('counts 7 working days across the May holidays', () => {
    // Thu 30 Apr 2026 → working days: 4, 5, 6, 7, 8, 12, 13 May (1–3 and 9–11 May are off).
    expect(addWorkingDays(cal, '2026-04-30', 7)).toEqual({ date: '2026-05-13', provisional: false });
  });

  it('counts 7 working days across the New Year break', () => {
    // Mon 29 Dec 2025 → 30 Dec, 12, 13, 14, 15, 16, 19 Jan 2026 (31 Dec 2025 and 1–11 Jan are off).
    expect(addWorkingDays(cal, '2025-12-29', 7).date).toBe('2026-01-19');
  });

  it('counts backwards for "10 working days before"', () => {
    // 10 working days before Fri 13 Nov 2026, with 4 Nov off: 12, 11, 10, 9, 6, 5, 3, 2 Nov, 30, 29 Oct.
    expect(addWorkingDays(cal, '2026-11-13', -10).date).toBe('2026-10-29');
  });

  it('moves a deadline on a holiday to the next or the previous working day', () => {
    expect(toWorkingDay(cal, '2026-05-09', 1).date).toBe('2026-05-12');
    expect(toWorkingDay(cal, '2026-05-09', -1).date).toBe('2026-05-08');
  });

  it('marks 2027 dates as not yet checked by a lawyer but computes them with decree No. 1187', () => {
    const r = addWorkingDays(cal, '2026-12-30', 3);
    // 31 Dec 2026 off; 1–8 Jan 2027 off, 9–10 a weekend: 11, 12, 13 Jan.
    expect(r).toEqual({ date: '2027-01-13', provisional: true });
  });

  it('counts Saturday 20.02.2027 as a working day and Monday 22.02.2027 as a day off (decree No. 1187)', () => {
    expect(cal.isWorkingDay('2027-02-20')).toBe(true);
    expect(cal.isWorkingDay('2027-02-22')).toBe(false);
    expect(cal.isWorkingDay('2027-11-05')).toBe(false);
    // Fri 19 Feb + 1 working day = Sat 20 Feb (worked); + 2 = Wed 24 Feb (22, 23 off).
    expect(addWorkingDays(cal, '2027-02-19', 1).date).toBe('2027-02-20');
    expect(addWorkingDays(cal, '2027-02-19', 2).date).toBe('2027-02-24');
    expect(toWorkingDay(cal, '2027-02-21', -1).date).toBe('2027-02-20');
  });

  it('refuses to guess a year it does not know', () => {
    expect(() => cal.isWorkingDay('2028-03-01')).toThrow(CalendarError);
    expect(() => addWorkingDays(cal, '2027-12-28', 5)).toThrow(/2028/);
  });

  it('counts working days between two dates', () => {
    expect(workingDaysBetween(cal, '2026-04-30', '2026-05-13').count).toBe(7);
    expect(workingDaysBetween(cal, '2026-05-13', '2026-04-30').count).toBe(-7);
  });
});
