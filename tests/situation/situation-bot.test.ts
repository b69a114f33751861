/**
 * The situation model as a migrant meets it, through the Bot API boundary: facts asked
 * once and reused by the next flow (with a "change" button), My situation with the legal
 * last day and the advised day, What the bot knows with change and delete, bad input,
 * reminders that follow the facts, and /forget.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderJobs, userDates, userFacts } from '../../src/db/schema/index.js';
import { encodeFlowChoice } from '../../src/flow-engine/callback-codec.js';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { doStep } from '../helpers/walk.js';

const clock = createTestClock('2026-02-20T12:00:00+03:00');
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock });
});
afterAll(() => h.close());

const factsOf = async (userId: number) => {
  await h.container.runs.settle(userId);
  const rows = await h.database.db.select().from(userFacts).where(eq(userFacts.userId, userId));
  return Object.fromEntries(rows.map((r) => [r.fact, r.value]));
};

/** A button no screen offers yet (the SOS flow that asks for a detention time is still to come). */
async function pressData(userId: number, data: string) {
  const last = h.last(userId);
  await h.update({
    callback_query: {
      id: `raw-${data}`,
      from: { id: userId, is_bot: false, first_name: 'Test' },
      chat_instance: 'test',
      data,
      message: { message_id: last.id, date: 0, chat: { id: userId, type: 'private', first_name: 'Test' }, text: last.html },
    },
  });
}

async function patentApply(userId: number, lang: string, entry = '12.02.2026') {
  await onboard(h, userId, lang);
  await h.press(userId, 'f:work-patent');
  for (const st of [{ choose: 'uz' }, { choose: 'no-rvp' }, { choose: 'apply' }, { enter: entry }]) await doStep(h, userId, 'work-patent', st);
}

describe('facts asked once', () => {
  it('keeps the citizenship and entry date from the patent flow and does not ask them again in registration', async () => {
    clock.set('2026-02-20T12:00:00+03:00');
    await patentApply(1001, 'ru');
    expect(await factsOf(1001)).toMatchObject({ citizenship: 'uz', 'residence-permit': 'no-rvp', 'entry-date': '2026-02-12' });

    await h.press(1001, 'm');
    await h.press(1001, 'f:registration');
    // Citizenship is known: the flow goes straight to the next question and says what it took.
    const screen = h.last(1001);
    expect(screen.html).toContain('Гражданство: <b>Узбекистан</b>');
    expect(screen.html).toContain('Что у вас сейчас?');
    expect(screen.data).toContain(`g:registration:${h.container.flows.get('registration')!.version}:citizenship`);
    // "New entry" then the entry date is known too: the answer comes without typing a date again.
    await doStep(h, 1001, 'registration', { choose: 'new-entry' });
    await doStep(h, 1001, 'registration', { choose: 'not-work' });
    const answer = h.last(1001);
    expect(answer.html).toContain('Дата въезда в Россию: <b>12.02.2026</b>');
    // Registration for Uzbek citizens: 15 days from entry. Legal last day 27.02, advised 26.02.
    expect(answer.html).toContain('Последний день по закону: <b>не позднее 27.02.2026</b>');
    expect(answer.html).toContain('Советуем: <b>не позднее 26.02.2026</b>');
    // And the patent deadline the same facts determine, across topics.
    expect(answer.html).toContain('Подать документы на патент');
    expect(answer.html).not.toMatch(/до \d\d\.\d\d\.\d{4}/);
  });

  it('asks the question again when the user presses "change", and the answer updates the fact', async () => {
    const flow = h.container.flows.get('registration')!;
    await h.press(1001, 'm');
    await h.press(1001, 'f:registration');
    await h.press(1001, `g:registration:${flow.version}:citizenship`);
    expect(h.last(1001).html).toContain('Гражданином какой страны');
    const tj = flow.nodes.citizenship!.type === 'choice' ? flow.nodes.citizenship!.options.findIndex((o) => o.id === 'tj') : -1;
    await h.press(1001, encodeFlowChoice('registration', flow.version, 'citizenship', tj));
    expect((await factsOf(1001)).citizenship).toBe('tj');
  });

  it('asks an Uzbek-speaking user in Uzbek and shows the fact in one line', async () => {
    clock.set('2026-02-20T12:00:00+03:00');
    await patentApply(1002, 'uz');
    await h.press(1002, 'm');
    await h.press(1002, 'f:registration');
    expect(h.last(1002).html).toContain('✔️');
    expect(h.last(1002).buttons.join(' ')).toContain('✏️');
  });
});

describe('My situation', () => {
  it('lists every deadline with the legal last day, what happens on a day off, the advised day and how each was counted', async () => {
    clock.set('2026-02-20T12:00:00+03:00');
    await patentApply(1101, 'ru');
    await h.send(1101, '/situation');
    const s = h.last(1101).html;
    expect(s).toContain('на 20.02.2026');
    // Patent: 12.02 + 30 = 14.03 (a Saturday), advised 13.03.
    expect(s).toContain('Последний день по закону: <b>не позднее 14.03.2026</b>');
    expect(s).toContain('как посчитано: 12.02.2026 + 30 дн. → 14.03.2026');
    expect(s).toContain('Переносится ли срок на 16.03.2026, закон точно не говорит');
    expect(s).toContain('Советуем: <b>не позднее 13.03.2026</b> (осталось дней: 21)');
    expect(s).toContain('115-ФЗ, ст. 13.3 п. 2');
    expect(s).toContain('⚠️');
    // The facts it used.
    expect(s).toContain('Гражданство: Узбекистан');
    // Registration comes before the patent: its day is earlier.
    expect(s.indexOf('миграционный учёт')).toBeLessThan(s.indexOf('Подать документы на патент'));
    // A missing fact is one tap away.
    expect(h.last(1101).data).toContain('fe:days-before-entry');
  });

  it('adds a missing fact from My situation and shows what it completes', async () => {
    await h.press(1101, 'fe:days-before-entry');
    await h.send(1101, '0');
    const s = h.last(1101).html;
    expect(s).toContain('✅');
    // 12.02 + 89 = 12.05.2026: the 90th day of the stay.
    expect(s).toContain('Последний день законного пребывания');
    expect(s).toContain('не позднее 12.05.2026');
  });

  it('shows an unlawful stay first, with the ban that applies now and the day the longer ban begins', async () => {
    clock.set('2026-12-06T12:00:00+03:00');
    await onboard(h, 1102, 'ru');
    await h.container.factService.set(1102, 'citizenship', 'uz');
    await h.container.factService.set(1102, 'entry-date', '2026-05-01');
    await h.container.factService.set(1102, 'days-before-entry', 0);
    await h.send(1102, '/situation');
    const s = h.last(1102).html;
    expect(s.indexOf('Пребывание без законного основания')).toBeLessThan(s.indexOf('5-летним'));
    expect(s).toContain('с 30.07.2026');
    expect(s).toContain('не позднее 25.01.2027');
  });
});

describe('What the bot knows', () => {
  it('lists the facts with change and delete, and deletes all after a confirmation', async () => {
    clock.set('2026-02-20T12:00:00+03:00');
    await patentApply(1201, 'ru');
    await h.send(1201, '/facts');
    const screen = h.last(1201);
    expect(screen.html).toContain('Дата въезда в Россию: <b>12.02.2026</b>');
    expect(screen.data).toContain('fd:entry-date');
    await h.press(1201, 'fd:entry-date');
    expect(h.last(1201).html).toContain('Удалено: Дата въезда в Россию');
    expect((await factsOf(1201))['entry-date']).toBeUndefined();
    await h.press(1201, 'fD');
    expect((await factsOf(1201)).citizenship).toBe('uz');
    await h.press(1201, 'fY');
    expect(await factsOf(1201)).toEqual({});
  });

  it('changes a choice fact with buttons', async () => {
    await h.container.factService.set(1201, 'citizenship', 'uz');
    await h.send(1201, '/facts');
    await h.press(1201, 'fe:citizenship');
    await h.press(1201, 'fs:citizenship:1');
    expect((await factsOf(1201)).citizenship).toBe('tj');
    expect(h.last(1201).html).toContain('Записал: Гражданство — Таджикистан');
  });
});

describe('bad input gets a translated explanation and stores nothing', () => {
  it('refuses an impossible time, a time in the future and a garbled one', async () => {
    clock.set('2026-03-05T18:00:00+03:00');
    await onboard(h, 1301, 'ru');
    await pressData(1301, 'fe:brought-in-at');
    await h.send(1301, '05.03.2026 25:00');
    expect(h.last(1301).html).toContain('часы от 00 до 23');
    await h.send(1301, '05.03.2026 23:30');
    expect(h.last(1301).html).toContain('ещё не наступило');
    await h.send(1301, 'вчера вечером');
    expect(h.last(1301).html).toContain('Не могу прочитать дату и время');
    expect(await factsOf(1301)).toEqual({});
    // A real time: the 3-hour limit is computed as a moment.
    await h.send(1301, '05.03.2026 16:10');
    const s = h.last(1301).html;
    expect(s).toContain('05.03.2026 19:10 (по Москве)');
    expect(s).toContain('осталось 1 ч 10 мин');
  });

  it('refuses a payment dated long before the patent was issued', async () => {
    clock.set('2026-05-01T12:00:00+03:00');
    await onboard(h, 1302, 'en');
    await h.container.factService.set(1302, 'patent-issue-date', '2026-04-10');
    await h.send(1302, '/facts');
    await h.press(1302, 'fe:patent-payments');
    await h.send(1302, '01.01.2026');
    expect(h.last(1302).html).toContain('10.04.2026');
    expect((await factsOf(1302))['patent-payments']).toBeUndefined();
    await h.send(1302, '08.04.2026');
    await h.send(1302, '13');
    expect(h.last(1302).html).toMatch(/1\D+12/);
    await h.send(1302, '2');
    expect((await factsOf(1302))['patent-payments']).toEqual([{ paid_on: '2026-04-08', months: 2 }]);
  });
});

describe('reminders follow the rules', () => {
  it('keeps a reminder on the advised day, moves it when a payment is recorded, and drops it when a late payment cannot revive the patent', async () => {
    clock.set('2026-03-20T12:00:00+03:00');
    const u = 1401;
    await onboard(h, u, 'ru');
    await h.container.factService.set(u, 'citizenship', 'tj');
    await h.container.factService.set(u, 'patent-issue-date', '2026-03-10');
    await h.container.factService.set(u, 'patent-payments', [{ paid_on: '2026-03-05', months: 1 }]);
    await h.send(u, '/situation');
    await h.press(u, 'sr:1');
    const rule = async () =>
      (await h.database.db.select().from(userDates).where(and(eq(userDates.userId, u), eq(userDates.kind, 'rule'), eq(userDates.dateId, 'patent-next-payment'))))[0];
    // Paid through 09.04.2026 (Thu); advised 06.04.2026 (Mon).
    expect((await rule())?.date).toBe('2026-04-06');
    const jobs = await h.database.db.select().from(reminderJobs).where(and(eq(reminderJobs.userId, u), eq(reminderJobs.status, 'pending')));
    expect(jobs.length).toBeGreaterThan(0);

    // The 7-days-before reminder comes with "I paid".
    clock.set('2026-03-30T10:05:00+03:00');
    await h.remind();
    expect(h.last(u).html).toContain('Оплатить патент (НДФЛ) за следующий месяц');
    const row = (await rule())!;
    await h.press(u, `dp:${row.id}`);
    await h.press(u, `dm:${row.id}:2`);
    // Paid in time: 10.03 + 3 months − 1 = 09.06.2026 (Tue); advised 05.06.2026 (Fri).
    expect(h.last(u).html).toContain('не позднее <b>05.06.2026</b>');
    expect((await rule())?.date).toBe('2026-06-05');

    // Paid too late (after 09.06): the patent ended on 10.06; the reminder goes.
    clock.set('2026-06-15T12:00:00+03:00');
    const again = (await rule())!;
    await h.press(u, `dp:${again.id}`);
    await h.press(u, `dm:${again.id}:1`);
    expect(h.last(u).html).toContain('10.06.2026');
    expect(await rule()).toBeUndefined();
  });
});

describe("the lawyer's case view", () => {
  it('carries the situation (facts, legal and advised days) into the case and its Russian summary', async () => {
    clock.set('2026-02-20T12:00:00+03:00');
    await patentApply(1601, 'uz');
    const c = await h.container.cases.open({ userId: 1601, language: 'uz', question: 'Savol' });
    expect(c.context.situation?.items.map((i) => i.rule)).toContain('patent-apply');
    expect(c.summaryRu).toContain('Ситуация на 20.02.2026');
    expect(c.summaryRu).toContain('Подать документы на патент — по закону не позднее 14.03.2026 (выходной; перенос на 16.03.2026); советуем не позднее 13.03.2026');
    expect(c.summaryRu).toContain('Гражданство — Узбекистан');
    // The queue orders by the nearest day to act: registration's advised 26.02.2026.
    expect(c.nearestDeadline).toBe('2026-02-26');
  });
});

describe('/forget', () => {
  it('deletes every fact of the user', async () => {
    clock.set('2026-02-20T12:00:00+03:00');
    await patentApply(1501, 'ru');
    expect(Object.keys(await factsOf(1501)).length).toBeGreaterThan(0);
    await h.send(1501, '/forget');
    await h.press(1501, 'x:y');
    expect(await factsOf(1501)).toEqual({});
  });
});
