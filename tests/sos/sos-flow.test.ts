/**
 * The guided SOS branches (issue 13 item 1): from the instant rights card, "What is
 * happening now?" → held at a station → the time of delivery → the bot says when the
 * hold must end as a date and time (across midnight into 2027), in the user's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { doStep } from '../helpers/walk.js';
import { createApiClient } from '../helpers/api.js';

const clock = createTestClock('2027-01-01T00:10:00+03:00');
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock, env: { LAWYERS_CHAT_ID: '-100778' } });
});
afterAll(async () => {
  await h.close();
});

describe('SOS: what is happening now', () => {
  it('offers the branches under the rights card and shows when a hold that began at 23:30 on New Year’s Eve must end', async () => {
    const ky = h.container.translator.forLanguage('ky');
    await onboard(h, 71_001, 'ky');
    await h.send(71_001, '/sos');
    const card = h.texts(71_001).at(-2)!;
    expect(card).toContain(ky('sos.card'));
    await h.press(71_001, ky('sos.what-now'));
    expect(h.last(71_001).html).toContain(ky('sos.nodes.what.text', { ns: 'flows' }));

    await doStep(h, 71_001, 'sos', { choose: 'held' });
    await doStep(h, 71_001, 'sos', { enter: '31.12.2026 23:30' });
    await doStep(h, 71_001, 'sos', { choose: 'other' });
    const answer = h.last(71_001).html;
    expect(answer).toContain(ky('sos.nodes.out-held.text', { ns: 'flows' }).slice(0, 40));
    // 23:30 + 3 hours = 02:30 on 01.01.2027, shown as a date and a time, with the time left.
    expect(answer).toContain('01.01.2027');
    expect(answer).toContain('02:30');
    expect(answer).toContain(ky('situation.moment-left', { h: 2, m: 20 }));
    expect(answer).toContain('<code>Русским языком не владею, нуждаюсь в переводчике</code>');
    expect(answer.startsWith(ky('sos.urgent-above'))).toBe(true);
    expect(h.last(71_001).buttons[0]).toBe(ky('sos.urgent-button'));

    // The urgent case opened by /sos now carries the computed end of the hold, and the
    // lawyers' chat is told again.
    const [urgent] = await h.container.cases.listForUser(71_001);
    expect(urgent?.priority).toBe('urgent');
    expect(urgent?.summaryRu).toContain('Задержание должно закончиться — не позднее 01.01.2027 02:30');
    await h.deliver();
    const notices = h.api.view(-100_778).messages.map((m) => m.html);
    expect(notices.some((n) => n.includes('Обновлено') && n.includes('01.01.2027 02:30'))).toBe(true);

    // The lawyers' queue shows when the hold must end (the console's "⏱" badge).
    const api = await createApiClient(h);
    const list = await api.as(api.tokens.lawyer).get('/api/cases');
    expect(list.body.items.find((c: { id: number }) => c.id === urgent!.id)?.holdEndsAt).toBe('2027-01-01T02:30+03:00');
    await api.app.close();
  });

  it('gives the appeal day for an expulsion order received on 25.12.2026 and hands it to a lawyer as urgent in one tap', async () => {
    clock.set('2026-12-26T10:00:00+03:00');
    const tg = h.container.translator.forLanguage('tg');
    await onboard(h, 71_002, 'tg');
    await h.press(71_002, 'f:sos');
    await doStep(h, 71_002, 'sos', { choose: 'decision' });
    await doStep(h, 71_002, 'sos', { choose: 'court' });
    await doStep(h, 71_002, 'sos', { enter: '25.12.2026' });
    const answer = h.last(71_002).html;
    // 10 days end on 04.01.2027, a holiday: the law moves it to 11.01.2027; we advise 30.12.2026.
    expect(answer).toContain('04.01.2027');
    expect(answer).toContain('11.01.2027');
    expect(answer).toContain('30.12.2026');
    expect(await h.container.cases.listForUser(71_002)).toHaveLength(0);
    await h.press(71_002, tg('sos.urgent-button'));
    const [opened] = await h.container.cases.listForUser(71_002);
    expect(opened?.priority).toBe('urgent');
    expect(opened?.summaryRu).toContain('30.12.2026');
  });

  it('picks the hot lines by the citizenship fact, over an older citizenship in the alert settings', async () => {
    await onboard(h, 71_003, 'uz');
    await h.container.factService.set(71_003, 'citizenship', 'tj');
    // The alert audience's copy says otherwise (set later, e.g. by an older screen).
    await h.container.users.setAlerts(71_003, { citizenship: 'uz' }, clock());
    await h.send(71_003, '/sos');
    const contacts = h.last(71_003).html;
    expect(contacts).toContain('+7 966 031-22-22');
  });
});
