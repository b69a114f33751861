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
    // Like any answer: its legal basis and the day it was checked.
    expect(texts[0]).toContain('КоАП РФ, ст. 27.5');
    expect(texts[0]).toContain('КоАП РФ, ст. 30.3');
    expect(texts[0]).toContain(ky('outcome.reviewed', { date: '06.12.2026' }));
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
    expect(await h.container.cases.listForUser(70_009)).toEqual([]);
  });

  it('does not guess the consulate from the language: a Tajik speaker with no citizenship given picks a country, nothing stored', async () => {
    const tg = h.container.translator.forLanguage('tg');
    const contacts = h.last(70_009);
    expect(contacts.html).toContain(tg('helplines.unknown'));
    expect(contacts.html).not.toContain('+7 966 031-22-22');
    expect(contacts.html).toContain('+7 903 792-22-79'); // a general line
    expect(contacts.data).toEqual(expect.arrayContaining(['sc:tj', 'sc:uz', 'sc:kg', 'sc:kz', 'sc:am', 'sc:by', 'sc:az', 'sc:md']));

    await h.press(70_009, 'sc:tj');
    // (The fake Telegram sends button presses without a language_code, so this answer is in Russian.)
    const ru = h.container.translator.forLanguage('ru');
    const tajik = h.last(70_009).html;
    expect(tajik).toContain('+7 966 031-22-22');
    expect(tajik).toContain(ru('helplines.tested-yes', { by: 'Asia-Plus', date: '21.11.2024' }));
    expect(tajik).toContain(ru('helplines.not-called'));
    expect(tajik).toContain(ru('helplines.change-warning'));
    expect(tajik).not.toContain('+7 925 115-50-47');
    expect((await h.container.users.find(70_009))?.citizenship ?? null).toBeNull();
  });

  it('shows an Uzbek citizen the Uzbek embassy, says no phone was found, and shows no Kyrgyz, Moldovan or Tajik line', async () => {
    await onboard(h, 70_011, 'uz');
    await h.send(70_011, '/alerts');
    await h.press(70_011, 'cz');
    await h.press(70_011, 'cz:uz');
    await h.send(70_011, '/sos');
    const uz = h.container.translator.forLanguage('uz');
    const contacts = h.last(70_011);
    expect(contacts.html).toContain('Oʻzbekiston: elchixona (посольство)');
    expect(contacts.html).toContain(uz('helplines.none-for-country', { country: 'Oʻzbekiston' }));
    expect(contacts.html).toContain(uz('helplines.change-warning'));
    for (const other of ['+7 925 115-50-47', '+7 929 964-90-79', '+7 966 031-22-22']) expect(contacts.html).not.toContain(other);
    expect(contacts.data.some((d) => d.startsWith('sc:'))).toBe(false); // citizenship known: no picker
  });

  it('uses the citizenship answered in the flow being walked', async () => {
    await onboard(h, 70_012, 'ru');
    await h.send(70_012, '/menu');
    await h.press(70_012, 'f:registration');
    await h.press(70_012, /Молдова/);
    await h.send(70_012, '/sos');
    expect(h.last(70_012).html).toContain('+7 929 964-90-79');
    expect(h.last(70_012).html).not.toContain('+7 925 115-50-47');
  });

  it('leads a typed Tajik message about an arrest to SOS in one tap, and leaves a patent question alone', async () => {
    await onboard(h, 70_013, 'tg');
    const tg = h.container.translator.forLanguage('tg');
    await h.send(70_013, 'Патентро чӣ тавр дароз кунам?');
    expect(h.last(70_013).data).not.toContain('sos');

    await h.send(70_013, 'маро полис дастгир кард');
    const prompt = h.last(70_013);
    expect(prompt.html).toBe(tg('sos-match.prompt'));
    expect(prompt.data[0]).toBe('sos');
    expect(await h.container.cases.listForUser(70_013)).toEqual([]); // the text alone opens no case

    await h.press(70_013, 'sos');
    expect(h.texts(70_013).slice(-2)[0]).toContain(tg('sos.card'));
    expect((await h.container.cases.listForUser(70_013))[0]).toMatchObject({ priority: 'urgent' });
  });

  it('offers SOS to someone who types that they were detained before agreeing to anything, and opens no case', async () => {
    await h.send(70_014, '/start', { languageCode: 'uz' });
    await h.send(70_014, 'politsiya meni ushladi', { languageCode: 'uz' });
    const uz = h.container.translator.forLanguage('uz');
    expect(h.last(70_014).html).toBe(uz('sos-match.prompt'));
    expect(h.last(70_014).data).toEqual(['sos']);
    await h.send(70_014, 'salom', { languageCode: 'uz' }); // anything else still meets the consent gate
    expect(h.last(70_014).data).not.toContain('sos');
    expect(await h.container.cases.listForUser(70_014)).toEqual([]);
  });
});
