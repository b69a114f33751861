/**
 * Patent payments as a history, through the Bot API boundary (issue #14): each payment is
 * asked with its date and months; a payment made after the paid period ended does not
 * revive the patent, so the answer names the day the patent ended and shows no valid
 * patent. Free text about a late payment (and the other patent situations) in all seven
 * languages offers the right place in the patent flow first.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userFacts } from '../../src/db/schema/index.js';
import type { Language } from '../../src/i18n/languages.js';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { doStep } from '../helpers/walk.js';

const clock = createTestClock('2026-05-01T12:00:00+03:00');
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock });
});
afterAll(() => h.close());

const t = (lang: Language, key: string, o?: Record<string, unknown>) => h.container.translator.forLanguage(lang)(key, o);
const factsOf = async (userId: number) => {
  await h.container.runs.settle(userId);
  const rows = await h.database.db.select().from(userFacts).where(eq(userFacts.userId, userId));
  return Object.fromEntries(rows.map((r) => [r.fact, r.value]));
};

/**
 * Issued 10.03.2026, the first payment (1 month) covers 10.03–09.04.2026; the second, on
 * 15.04.2026 for 2 months, came after 09.04 and does not count. Summing blindly (3 months)
 * would claim a valid patent to 09.06.2026.
 */
const lateSecondPayment = [
  { choose: 'uz' },
  { choose: 'no-rvp' },
  { choose: 'have-patent' },
  { choose: 'moscow' },
  { choose: 'other-job' },
  { choose: 'next' },
  { enter: '10.03.2026' },
  { enter: '1' },
  { choose: 'add' },
  { enter: '15.04.2026' },
  { enter: '2' },
  { choose: 'done' },
];

describe('two patent payments, the second made late', () => {
  it.each(['ru', 'uz'] as Language[])('says in %s that the patent ended on 10.04.2026 and shows no valid patent', async (lang) => {
    const u = lang === 'ru' ? 2101 : 2102;
    await onboard(h, u, lang);
    await h.press(u, 'f:work-patent');
    for (const st of lateSecondPayment) await doStep(h, u, 'work-patent', st);
    const html = h.last(u).html;
    const ended = t(lang, 'work-patent.nodes.out-patent-ended.text', { ns: 'flows', ended_on: '10.04.2026', paid_until: '09.04.2026' });
    // The answer's opening line, in the user's language, with the day the patent ended.
    expect(html).toContain(ended.split('\n')[0]!.replace(/<\/?b>/g, '').slice(0, 25));
    expect(html).toContain('10.04.2026');
    expect(html).toContain('09.04.2026');
    // Never the blind sum, never the valid-patent answer or its next-payment date.
    expect(html).not.toContain('09.06.2026');
    const valid = t(lang, 'work-patent.nodes.out-patent-paid.text', { ns: 'flows', paid_until: 'X' }).split('\n')[0]!.replace(/<\/?b>|X/g, '').slice(0, 20);
    expect(html).not.toContain(valid);
    expect(html).not.toContain(t(lang, 'rules.patent-next-payment.title', { ns: 'flows' }));
    // Unlawful stay since that day, and a lawyer one tap away.
    expect(html).toContain(t(lang, 'rules.unlawful-stay.title', { ns: 'flows' }));
    expect(h.last(u).data).toContain('e:work-patent:out-patent-ended');
    // The history is kept as told: both payments, in order.
    expect((await factsOf(u))['patent-payments']).toEqual([
      { paid_on: '2026-03-10', months: 1 },
      { paid_on: '2026-04-15', months: 2 },
    ]);
  });

  it('shows the ended patent on My situation too, dated 10.04.2026', async () => {
    await h.send(2101, '/situation');
    const html = h.last(2101).html;
    expect(html).toContain(t('ru', 'rules.patent-ended.title', { ns: 'flows' }));
    expect(html).toContain('10.04.2026');
    expect(html).not.toContain('09.06.2026');
  });
});

describe('free text reaches the right patent situation in every language', () => {
  const paidLate: [Language, string][] = [
    ['ru', 'Я оплатил патент с опозданием, что теперь?'],
    ['uz', "Patentni kech to'ladim, nima qilay?"],
    ['tg', 'Патентро дер пардохт кардам'],
    ['ky', 'Патентти кеч төлөдүм'],
    ['az', 'Patenti gec ödədim'],
    ['ro', 'Am plătit patenta cu întârziere'],
    ['en', 'I paid my patent late'],
  ];

  it.each(paidLate)('%s: "%s" offers «paid late» first', async (lang, text) => {
    const u = 2200 + paidLate.findIndex(([l]) => l === lang);
    await onboard(h, u, lang);
    await h.send(u, text);
    const entries = h.last(u).data.filter((d) => d.startsWith('fn:'));
    expect(entries[0]).toBe('fn:work-patent:pay-2-date');
    expect(h.last(u).buttons).toContain(t(lang, 'work-patent.entries.pay-2-date', { ns: 'flows' }));
  });

  it('the «paid late» button walks to the date of the late payment, asking only what it must', async () => {
    const u = 2200; // Russian, from the test above
    await h.press(u, 'fn:work-patent:pay-2-date');
    for (const st of [{ choose: 'tj' }, { choose: 'no-rvp' }, { choose: 'moscow' }, { choose: 'other-job' }, { enter: '10.03.2026' }, { enter: '1' }]) {
      await doStep(h, u, 'work-patent', st);
    }
    // The topic menu, the region notes and "another payment?" were taken from the entry.
    expect(h.last(u).html).toContain(t('ru', 'work-patent.nodes.pay-2-date.text', { ns: 'flows' }).split('\n')[0]!);
  });

  const others: [Language, string, string][] = [
    ['ru', 'Когда следующий платеж по патенту?', 'issue-date'],
    ['en', 'When is my next payment for the patent?', 'issue-date'],
    ['ru', 'Можно ли работать по патенту в другом регионе?', 'region'],
    ['uz', 'Patent narxi qancha?', 'region'],
    ['ru', 'Нужно ли отправлять копию договора в МВД?', 'pay-1-months'],
    ['ro', 'Unde trimit copia contractului?', 'pay-1-months'],
    ['ru', 'Как переоформить патент через год?', 'reissue-date'],
    ['ky', 'Патентти кайра тариздөө керек', 'reissue-date'],
    ['az', 'Uşaq üçün patent lazımdır?', 'out-family'],
  ];

  it.each(others)('%s: "%s" offers %s first', async (lang, text, node) => {
    const u = 2300 + others.findIndex(([, x]) => x === text);
    await onboard(h, u, lang);
    await h.send(u, text);
    expect(h.last(u).data.filter((d) => d.startsWith('fn:'))[0]).toBe(`fn:work-patent:${node}`);
  });
});

describe('a Russian citizen', () => {
  it('is told at the first question that no patent and no registration as a foreigner are needed', async () => {
    const u = 2401;
    await onboard(h, u, 'en');
    await h.press(u, 'f:work-patent');
    await doStep(h, u, 'work-patent', { choose: 'ru' });
    const html = h.last(u).html;
    expect(html).toContain('62-ФЗ');
    expect(html).toContain(t('en', 'work-patent.nodes.out-russian.text', { ns: 'flows' }).split('\n')[0]!.replace(/<\/?b>/g, '').slice(0, 30));
  });
});
