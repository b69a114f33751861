/**
 * A lawyer who reads only Russian answers an Uzbek migrant: the question arrives
 * with a stored Russian machine translation, the lawyer's Russian answer is
 * translated (and may be corrected) and reaches the migrant with the Russian
 * original below it. A failing or hanging provider never blocks an answer; sensitive
 * topics never reach the provider; /forget and retention erase the translations.
 * The provider is a local stand-in at its HTTP boundary.
 */
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caseMessages, messageTranslations } from '../../src/db/schema/index.js';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, createTestClock, type Harness, onboard, openCase } from '../helpers/harness.js';
import { fakeTranslation, startTranslationStandIn, type TranslationStandIn } from '../helpers/translation-stand-in.js';

const clock = createTestClock();
let h: Harness;
let api: ApiClient;
let provider: TranslationStandIn;
beforeAll(async () => {
  provider = await startTranslationStandIn();
  h = await createHarness({ clock, env: { TRANSLATION_PROVIDER: 'libretranslate', LIBRETRANSLATE_URL: provider.url, TRANSLATION_TIMEOUT_MS: '300' } });
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
  await provider.close();
});
beforeEach(() => {
  provider.mode = 'ok';
});

const uz = (key: string, o?: Record<string, unknown>) => h.container.translator.forLanguage('uz')(key, o);
const lawyer = () => api.as(api.tokens.lawyer);
/** The case as the console reads it, once the background translations are written. */
async function caseView(id: number) {
  await h.container.translations.drain();
  return (await lawyer().get(`/api/cases/${id}`)).body;
}
const QUESTION = 'Ish beruvchi shartnoma bermayapti. Nima qilay?';

describe('machine translation for lawyers', () => {
  let id: number;

  it('names the provider in the terms the migrant agrees to', async () => {
    await h.send(90_001, '/start');
    await h.press(90_001, 'l:uz');
    expect(h.last(90_001).html).toContain(uz('lawyer-translation.consent-provider', { provider: `LibreTranslate (${new URL(provider.url).host})` }));
  });

  it('stores a Russian translation of the migrant’s question, marked machine translation', async () => {
    await h.press(90_001, 'c:y');
    await h.press(90_001, 'a');
    await h.send(90_001, QUESTION);
    await h.press(90_001, 'cs');
    id = Number(/#(\d+)/.exec(h.last(90_001).html)?.[1]);
    const view = await caseView(id);
    expect(view.translation).toMatchObject({ state: 'on', language: 'uz' });
    expect(view.messages[0]).toMatchObject({ text: QUESTION, translation: { language: 'ru', text: fakeTranslation(QUESTION, 'ru'), status: 'machine', provider: 'libretranslate' } });
  });

  it('translates a reply the migrant writes into the open case', async () => {
    await h.send(90_001, 'Shartnoma yo‘q');
    const view = await caseView(id);
    expect(view.messages.at(-1).translation.text).toBe(fakeTranslation('Shartnoma yo‘q', 'ru'));
  });

  it('translates the lawyer’s Russian draft and delivers the corrected translation with the Russian original below it', async () => {
    const draft = await lawyer().post(`/api/cases/${id}/translate-draft`, { text: 'Попросите копию договора.' });
    expect(draft.body).toEqual({ ok: true, text: fakeTranslation('Попросите копию договора.', 'uz'), language: 'uz', provider: 'libretranslate' });
    const r = await lawyer().post(`/api/cases/${id}/reply`, { text: 'Попросите копию договора.', translation: { text: 'Shartnoma nusxasini so‘rang.', edited: true } });
    expect(r.status).toBe(201);
    expect(r.body.translation).toMatchObject({ language: 'uz', text: 'Shartnoma nusxasini so‘rang.', status: 'edited' });
    await h.deliver();
    const html = h.last(90_001).html;
    expect(html).toContain(uz('cases.answer-header', { id }));
    const translated = html.indexOf('Shartnoma nusxasini so‘rang.');
    const original = html.indexOf('Попросите копию договора.');
    expect(translated).toBeGreaterThan(0);
    expect(html.indexOf(uz('lawyer-translation.original'))).toBeGreaterThan(translated);
    expect(original).toBeGreaterThan(html.indexOf(uz('lawyer-translation.original')));
  });

  it('answers a failing provider with the reason, and the reply goes in Russian with a note', async () => {
    provider.mode = 'fail';
    const draft = await lawyer().post(`/api/cases/${id}/translate-draft`, { text: 'Срок — не позднее 13.03.2026.' });
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ ok: false, error: 'LibreTranslate: HTTP 500' });
    const r = await lawyer().post(`/api/cases/${id}/reply`, { text: 'Срок — не позднее 13.03.2026.', translationFailed: draft.body.error });
    expect(r.body.translation).toMatchObject({ status: 'failed', error: 'LibreTranslate: HTTP 500', text: null });
    await h.deliver();
    expect(h.last(90_001).html).toContain('Срок — не позднее 13.03.2026.');
    expect(h.last(90_001).html).toContain(uz('lawyer-translation.russian-only'));
  });

  it('does not let a hanging provider hold the draft longer than the timeout', async () => {
    provider.mode = 'hang';
    const started = Date.now();
    const draft = await lawyer().post(`/api/cases/${id}/translate-draft`, { text: 'Проверьте запрет въезда.' });
    expect(draft.body).toMatchObject({ ok: false, error: 'LibreTranslate: no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('shows a failed translation of a migrant message and translates it again on request', async () => {
    provider.mode = 'fail';
    await h.send(90_001, 'Rahmat');
    let view = await caseView(id);
    expect(view.messages.at(-1).translation).toMatchObject({ status: 'failed', error: 'LibreTranslate: HTTP 500', text: null });
    provider.mode = 'ok';
    const retried = await api.as(api.tokens.lawyer2).post(`/api/cases/${id}/translations/retry`);
    expect(retried.body).toEqual({ retried: 1 });
    view = await caseView(id);
    expect(view.messages.at(-1).translation).toMatchObject({ status: 'machine', text: fakeTranslation('Rahmat', 'ru') });
  });

  it('finds the case by a word of the Russian translation and by its number', async () => {
    const byWord = await lawyer().get(`/api/cases?q=${encodeURIComponent('[ru] Shartnoma')}`);
    expect(byWord.body.items.map((c: { id: number }) => c.id)).toContain(id);
    expect((await lawyer().get(`/api/cases?q=%23${id}`)).body.items.map((c: { id: number }) => c.id)).toEqual([id]);
    expect((await lawyer().get('/api/cases?q=nothing-like-this')).body.items).toEqual([]);
  });

  it('never sends an SOS case to the provider and shows it as sensitive', async () => {
    await onboard(h, 90_002, 'ky');
    const before = provider.requests.length;
    await h.send(90_002, '/sos');
    const sosId = Number(/#(\d+)/.exec(h.texts(90_002).at(-1)!)?.[1]);
    const view = await caseView(sosId);
    expect(view.translation.state).toBe('sensitive');
    expect(view.messages[0].translation).toBeNull();
    const draft = await lawyer().post(`/api/cases/${sosId}/translate-draft`, { text: 'Мы едем.' });
    expect(draft.body).toMatchObject({ ok: false, error: 'not translated: sensitive topic' });
    expect(provider.requests.length).toBe(before);
  });

  it('erases stored translations with the case on /forget', async () => {
    const ids = (await h.database.db.select({ id: caseMessages.id }).from(caseMessages).where(eq(caseMessages.caseId, id))).map((m) => m.id);
    expect((await h.database.db.select().from(messageTranslations).where(inArray(messageTranslations.messageId, ids))).length).toBeGreaterThan(0);
    await h.send(90_001, '/forget');
    await h.press(90_001, 'x:y');
    expect(await h.database.db.select().from(messageTranslations).where(inArray(messageTranslations.messageId, ids))).toEqual([]);
    expect(JSON.stringify(await caseView(id))).not.toContain('Shartnoma');
  });

  it('erases stored translations when retention anonymises a closed case', async () => {
    const other = await openCase(h, 90_003, 'tg', 'Саволи ман');
    const view = await caseView(other);
    expect(view.messages[0].translation.text).toBe(fakeTranslation('Саволи ман', 'ru'));
    await lawyer().post(`/api/cases/${other}/close`);
    clock.advanceDays(181);
    expect(await h.container.cases.anonymiseExpired(180)).toBeGreaterThanOrEqual(1);
    expect((await caseView(other)).messages[0].translation).toBeNull();
  });
});

describe('machine translation switched off', () => {
  it('says it is not set up and delivers a Russian answer with a note', async () => {
    const off = await createHarness({ clock });
    const offApi = await createApiClient(off);
    try {
      await off.send(91_001, '/start');
      await off.press(91_001, 'l:az');
      expect(off.last(91_001).html).not.toContain('LibreTranslate');
      await off.press(91_001, 'c:y');
      await off.press(91_001, 'a');
      await off.send(91_001, 'Sualım var');
      await off.press(91_001, 'cs');
      const caseId = Number(/#(\d+)/.exec(off.last(91_001).html)?.[1]);
      const view = (await offApi.as(offApi.tokens.lawyer).get(`/api/cases/${caseId}`)).body;
      expect(view.translation).toMatchObject({ state: 'off', provider: null });
      const draft = await offApi.as(offApi.tokens.lawyer).post(`/api/cases/${caseId}/translate-draft`, { text: 'Ответ' });
      expect(draft.body).toMatchObject({ ok: false, error: 'machine translation is not set up' });
      await offApi.as(offApi.tokens.lawyer).post(`/api/cases/${caseId}/reply`, { text: 'Ответ юриста' });
      await off.deliver();
      expect(off.last(91_001).html).toContain('Ответ юриста');
      expect(off.last(91_001).html).toContain(off.container.translator.forLanguage('az')('lawyer-translation.russian-only'));
    } finally {
      await offApi.app.close();
      await off.close();
    }
  });
});
