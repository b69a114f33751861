/**
 * Russia's federal production calendar (производственный календарь) as data.
 * Source: `shared/legal/calendar.md` (Labour Code art. 112 and the government's
 * yearly transfer decrees). Regional holidays are not included.
 *
 * A year is listed only when we know it. A `provisional` year is computed from the
 * Labour Code's fixed holidays alone because its transfer decree is not in our
 * sources; every date computed in it must be shown as provisional.
 */
export interface CalendarYear {
  /** Weekdays (Mon–Fri) that are not working days, MM-DD. */
  nonWorkingWeekdays: string[];
  /** Saturdays or Sundays that are working days, MM-DD. */
  workingWeekends: string[];
  source: string;
  provisional: boolean;
}

export const RUSSIA_CALENDAR: Readonly<Record<number, CalendarYear>> = {
  2025: {
    nonWorkingWeekdays: [
      '01-01', '01-02', '01-03', '01-06', '01-07', '01-08',
      '05-01', '05-02', '05-08', '05-09', '06-12', '06-13', '11-03', '11-04', '12-31',
    ],
    workingWeekends: ['11-01'],
    source: 'ТК РФ ст. 112; Постановление Правительства РФ № 1335 от 04.10.2024',
    provisional: false,
  },
  2026: {
    nonWorkingWeekdays: [
      '01-01', '01-02', '01-05', '01-06', '01-07', '01-08', '01-09',
      '02-23', '03-09', '05-01', '05-11', '06-12', '11-04', '12-31',
    ],
    workingWeekends: [],
    source: 'ТК РФ ст. 112; Постановление Правительства РФ № 1466 от 24.09.2025',
    provisional: false,
  },
  2027: {
    // Labour Code art. 112 only: Sat 1 May → Mon 3 May, Sun 9 May → Mon 10 May,
    // Sat 12 Jun → Mon 14 Jun. The decree moving Sat 2 / Sun 3 Jan is not known.
    nonWorkingWeekdays: [
      '01-01', '01-04', '01-05', '01-06', '01-07', '01-08',
      '02-23', '03-08', '05-03', '05-10', '06-14', '11-04',
    ],
    workingWeekends: [],
    source: 'ТК РФ ст. 112 (постановление о переносах на 2027 год в источниках нет)',
    provisional: true,
  },
};
