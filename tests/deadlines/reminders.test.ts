/**
 * A migrant saves their patent payment date and lives through three monthly
 * cycles on a controllable clock: reminders 7, 3, 1 days before and on the day at
 * 10:00 Moscow time, "remind me tomorrow", "I paid", a restart while a reminder is
 * due, downtime across several reminders, a date that passes during downtime, and
 * deleting the date.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderJobs, userDates } from '../../src/db/schema/index.js';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { walkScenario } from '../helpers/walk.js';

const USER = 90_001;
const clock = createTestClock('2026-07-20T12:00:00+03:00');
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock });
});
afterAll(() => h.close());

const t = (key: string, o?: Record<string, unknown>) => h.container.translator.forLanguage('ro')(key, o);
const reminders = () => h.texts(USER).filter((x) => x.startsWith('🔔'));
let payById: number;

/** The next patent payment: a deadline rule's date that follows the user's facts. */
async function payDate() {
  const [row] = await h.database.db.select().from(userDates).where(and(eq(userDates.userId, USER), eq(userDates.kind, 'rule'), eq(userDates.dateId, 'patent-next-payment')));
  return row!;
}

describe('patent payment reminders over three cycles', () => {
  it('saves the dates of a patent answer with reminders before each', async () => {
    await onboard(h, USER, 'ro');
    // Moldova (entered outside the decree No. 520 window), no residence permit, a patent
    // issued 15.07.2026 in another region with 1 month paid, no other payment, no contract yet.
    await walkScenario(h, USER, 'work-patent', {
      name: 'cycle',
      today: '2026-07-20',
      outcome: 'out-patent-new',
      steps: [
        { choose: 'md' },
        { choose: 'md-other' },
        { choose: 'no-rvp' },
        { choose: 'have-patent' },
        { choose: 'other' },
        { choose: 'other-job' },
        { choose: 'next' },
        { enter: '15.07.2026' },
        { enter: '1' },
        { choose: 'done' },
        { choose: 'no-contract' },
      ],
    });
    expect(h.last(USER).data).toContain('sv:work-patent:out-patent-new');
    // The answer explains how each date was counted.
    // (A long answer comes in more than one message.)
    expect(h.texts(USER).slice(-3).join('\n')).toContain(`${t('how.title')}: 15.07.2026`);
    await h.press(USER, 'sv:work-patent:out-patent-new');
    expect(h.last(USER).html).toContain(t('dates.saved', { days: '7, 3, 1', hour: 10 }));
    const pay = await payDate();
    payById = pay.id;
    expect(pay.date).toBe('2026-08-11'); // paid until 14.08, pay 3 days early
    const jobs = (await h.container.deadlines.pendingJobs(USER)).filter((j) => j.userDateId === payById);
    expect(jobs.map((j) => j.dueAt.toISOString())).toEqual([
      '2026-08-04T07:00:00.000Z', // 7 days before, 10:00 Moscow
      '2026-08-08T07:00:00.000Z',
      '2026-08-10T07:00:00.000Z',
      '2026-08-11T07:00:00.000Z',
    ]);
  });

  it('sends nothing before the first reminder is due', async () => {
    clock.set('2026-08-04T09:59:00+03:00');
    expect(await h.remind()).toBe(0);
    expect(reminders()).toHaveLength(0);
  });

  it('reminds 7 days before, with "I paid" and "remind me tomorrow"', async () => {
    clock.set('2026-08-04T10:01:00+03:00');
    await h.remind();
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]).toContain('11.08.2026');
    expect(h.last(USER).data).toEqual([`dp:${payById}`, `dz:${payById}`, 'dl']);
  });

  it('reminds again tomorrow when asked, and only once', async () => {
    await h.press(USER, `dz:${payById}`);
    expect(h.last(USER).html).toBe(t('dates.snoozed', { date: '05.08.2026', hour: 10 }));
    clock.set('2026-08-05T10:01:00+03:00');
    await h.remind();
    await h.remind();
    expect(reminders()).toHaveLength(2);
  });

  it('moves the cycle a month on when the user paid, and cancels the old reminders', async () => {
    await h.press(USER, `dp:${payById}`);
    expect(h.last(USER).html).toBe(t('dates.how-many'));
    await h.press(USER, `dm:${payById}:1`);
    expect(h.last(USER).html).toBe(t('dates.paid-recorded', { date: '11.09.2026' }));
    // The payment is a fact now, dated the day it was recorded.
    expect((await h.container.factService.list(USER))['patent-payments']).toEqual([
      { paid_on: '2026-07-15', months: 1 },
      { paid_on: '2026-08-05', months: 1 },
    ]);
    expect((await payDate()).date).toBe('2026-09-11'); // paid until 14.09, Fri 11.09
    clock.set('2026-08-10T10:01:00+03:00');
    await h.remind();
    expect(reminders()).toHaveLength(2); // the August reminders were cancelled
  });

  it('sends a due reminder exactly once across a restart', async () => {
    clock.set('2026-09-04T10:01:00+03:00');
    await h.restart();
    await h.remind();
    await h.restart();
    await h.remind();
    expect(reminders()).toHaveLength(3);
    expect(reminders()[2]).toContain('11.09.2026');
    await h.press(USER, `dp:${payById}`);
    await h.press(USER, `dm:${payById}:1`);
    // Paid until 14.10.2026; 11.10 is a Sunday, so the payment is due on Friday 09.10.
    expect((await payDate()).date).toBe('2026-10-09');
  });

  it('after downtime across several reminders, sends only the latest, late, and records the rest', async () => {
    clock.set('2026-10-08T12:00:00+03:00'); // the 7-, 3- and 1-day reminders all passed while down
    await h.remind();
    expect(reminders()).toHaveLength(4);
    const done = await h.database.db.select().from(reminderJobs).where(and(eq(reminderJobs.userDateId, payById), eq(reminderJobs.forDate, '2026-10-09')));
    const byDays = Object.fromEntries(done.map((j) => [j.daysBefore, `${j.status}${j.note ? `: ${j.note}` : ''}`]));
    expect(byDays).toMatchObject({
      7: 'dropped: superseded by a later reminder that is also due',
      3: 'dropped: superseded by a later reminder that is also due',
      1: 'sent: sent late after downtime',
      0: 'pending',
    });
  });

  it('drops, and records, a reminder whose date passed while the bot was down', async () => {
    clock.set('2026-10-10T11:00:00+03:00');
    await h.remind();
    expect(reminders()).toHaveLength(4);
    const [zero] = await h.database.db.select().from(reminderJobs).where(and(eq(reminderJobs.userDateId, payById), eq(reminderJobs.forDate, '2026-10-09'), eq(reminderJobs.daysBefore, 0)));
    expect(zero).toMatchObject({ status: 'dropped', note: 'the date passed while no reminder could be sent' });
  });

  it('lists the dates by urgency, and stops the reminders of the deadlines when asked', async () => {
    await h.send(USER, '/dates');
    const list = h.last(USER).html;
    expect(list).toContain(t('dates.title'));
    await h.send(USER, '/situation');
    await h.press(USER, 'sr:0');
    expect(h.last(USER).html).toContain(t('situation.remind-stopped'));
    expect((await h.container.deadlines.pendingJobs(USER)).some((j) => j.userDateId === payById)).toBe(false);
  });

  it('keeps quiet at night and sends in the morning', async () => {
    await h.press(USER, 'dl');
    await h.press(USER, 'da');
    await h.press(USER, 'dk:passport');
    await h.send(USER, '20.10.2026');
    expect(h.last(USER).html).toContain('20.10.2026');
    clock.set('2026-10-13T23:30:00+03:00'); // the 7-day reminder (13.10 10:00) is due, but it is night
    const before = reminders().length;
    await h.remind();
    expect(reminders()).toHaveLength(before);
    clock.set('2026-10-14T09:05:00+03:00');
    await h.remind();
    expect(reminders()).toHaveLength(before + 1);
    expect(reminders().at(-1)).toContain(t('dates.documents.passport'));
  });
});
