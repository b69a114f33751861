/**
 * Russia's federal production calendar (производственный календарь) as data.
 * Source: `shared/legal/calendar.md` (Labour Code art. 112 and the government's
 * yearly transfer decrees). Regional holidays are not included.
 *
 * A year is listed only when we know it. A `provisional` year's calendar has not been
 * checked by a lawyer against the decree's text (2027: decree No. 1187, taken from
 * public calendar datasets): every date computed in it carries one short line saying so.
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
    // Decree No. 1187 of 17.09.2026 (shared/legal/calendar.md, medium-high): Sat 2 Jan → Fri 5 Nov,
    // Sun 3 Jan → Fri 31 Dec, Sat 20 Feb → Mon 22 Feb; Saturday 20 February is a working day.
    // Taken from public calendar datasets that cite the decree; nobody here has read its text,
    // so 2027 dates carry one short line saying a lawyer has not checked the calendar yet.
    nonWorkingWeekdays: [
      '01-01', '01-04', '01-05', '01-06', '01-07', '01-08', '02-22', '02-23',
      '03-08', '05-03', '05-10', '06-14', '11-04', '11-05', '12-31',
    ],
    workingWeekends: ['02-20'],
    source: 'ТК РФ ст. 112; Постановление Правительства РФ № 1187 от 17.09.2026',
    provisional: true,
  },
};
