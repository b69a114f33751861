/** Someone detained gets their rights at once, and lawyers see them first. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness, onboard, openCase } from '../helpers/harness.js';

let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness({ env: { LAWYERS_CHAT_ID: '-100777' } });
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

describe('/sos', () => {
  it('answers in Kyrgyz with the rights card, the Russian card for the officer and the hot lines, and opens an urgent case first in the queue', async () => {
    // Two ordinary cases opened earlier.
    await openCase(h, 70_001, 'ru', 'Вопрос про регистрацию');
    await openCase(h, 70_002, 'uz', 'Patent savoli');

    await onboard(h, 70_003, 'ky');
    await h.send(70_003, '/sos');
    const ky = h.container.translator.forLanguage('ky');
    const ru = h.container.translator.forLanguage('ru');
    const texts = h.texts(70_003).slice(-2);
    expect(texts[0]).toContain(ky('sos.card'));
    expect(texts[0]).toContain(ru('sos.card-ru'));
    expect(texts[0]).toContain('Без переводчика и защитника объяснений не даю');
    expect(texts[1]).toContain(ky('sos.contacts'));
    expect(texts[1]).toMatch(/\+7 \d{3}/); // at least one phone number

    const queue = await api.as(api.tokens.lawyer).get('/api/cases');
    expect(queue.body.items[0]).toMatchObject({ priority: 'urgent', language: 'ky', topic: 'detention' });
    expect(queue.body.items).toHaveLength(3);

    await h.deliver();
    const notices = h.api.view(-100777).messages.map((m) => m.html);
    expect(notices.some((n) => n.includes('СРОЧНО'))).toBe(true);
  });

  it('passes what the detained person writes next straight to the lawyer', async () => {
    await h.send(70_003, 'Мени полиция кармады, Садовод базары');
    const ky = h.container.translator.forLanguage('ky');
    const id = (await api.as(api.tokens.lawyer).get('/api/cases')).body.items[0].id;
    expect(h.last(70_003).html).toBe(ky('cases.passed', { id }));
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${id}`);
    expect(detail.body.messages.at(-1).text).toBe('Мени полиция кармады, Садовод базары');
  });

  it('does not open a second urgent case when /sos is pressed again', async () => {
    await h.press(70_003, 'sos');
    const queue = await api.as(api.tokens.lawyer).get('/api/cases?priority=urgent');
    expect(queue.body.items).toHaveLength(1);
  });

  it('gives the rights card and the hot lines at once even to someone who has not agreed yet, and opens no case', async () => {
    await h.send(70_009, '/start', { languageCode: 'tg' });
    await h.send(70_009, '/sos', { languageCode: 'tg' });
    const tg = h.container.translator.forLanguage('tg');
    const [card, contacts] = h.texts(70_009).slice(-2);
    expect(card).toContain(tg('sos.card'));
    expect(card).toContain('Без переводчика и защитника объяснений не даю');
    expect(contacts).toContain(tg('sos.consent-first'));
    expect(contacts).toContain('+7 966 031-22-22'); // the Tajik hot line first
    expect(await h.container.cases.listForUser(70_009)).toEqual([]);
  });
});
