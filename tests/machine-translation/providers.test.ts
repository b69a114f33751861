/**
 * Both translation adapters at their HTTP boundary, against a local stand-in
 * server: the request each provider expects, and every way a provider can fail
 * becoming one TranslationError that names the provider and never the text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLibreTranslate, createYandexTranslate, TranslationError } from '../../src/machine-translation/providers.js';
import { startTranslationStandIn, type TranslationStandIn } from '../helpers/translation-stand-in.js';

let server: TranslationStandIn;
beforeAll(async () => {
  server = await startTranslationStandIn();
});
afterAll(() => server.close());
beforeEach(() => {
  server.mode = 'ok';
  server.requests.length = 0;
});

const QUESTION = 'Ish beruvchi shartnoma bermayapti';

describe('LibreTranslate adapter', () => {
  const libre = () => createLibreTranslate({ url: server.url, apiKey: 'k-123', timeoutMs: 2000 });

  it('posts the text, languages and key to /translate and returns translatedText', async () => {
    expect(await libre().translate(QUESTION, 'uz', 'ru')).toBe(`[ru] ${QUESTION}`);
    expect(server.requests[0]).toMatchObject({ path: '/translate', body: { q: QUESTION, source: 'uz', target: 'ru', format: 'text', api_key: 'k-123' } });
  });

  it('names itself with the server host (for the consent text)', () => {
    expect(libre().displayName).toBe(`LibreTranslate (${new URL(server.url).host})`);
  });

  it('reports an HTTP error without echoing the text', async () => {
    server.mode = 'fail';
    const err = await libre().translate(QUESTION, 'uz', 'ru').catch((e) => e);
    expect(err).toBeInstanceOf(TranslationError);
    expect(err.message).toBe('LibreTranslate: HTTP 500');
  });

  it('gives up on a server that does not answer', async () => {
    server.mode = 'hang';
    const quick = createLibreTranslate({ url: server.url, timeoutMs: 200 });
    await expect(quick.translate(QUESTION, 'uz', 'ru')).rejects.toThrow('LibreTranslate: no answer within 200 ms');
  });

  it('refuses an answer without a translation', async () => {
    server.mode = 'garbage';
    await expect(libre().translate(QUESTION, 'uz', 'ru')).rejects.toThrow('no translatedText');
  });

  it('reports a server that cannot be reached', async () => {
    const nowhere = createLibreTranslate({ url: 'http://127.0.0.1:1', timeoutMs: 2000 });
    await expect(nowhere.translate(QUESTION, 'uz', 'ru')).rejects.toThrow('LibreTranslate: could not be reached');
  });
});

describe('Yandex Cloud Translate adapter', () => {
  const yandex = () => createYandexTranslate({ apiKey: 'AQVN-secret', folderId: 'b1g-folder', url: `${server.url}/translate/v2/translate`, timeoutMs: 2000 });

  it('posts folderId, texts and language codes with the Api-Key header', async () => {
    expect(await yandex().translate('Нужен договор', 'ru', 'tg')).toBe('[tg] Нужен договор');
    const r = server.requests[0]!;
    expect(r.path).toBe('/translate/v2/translate');
    expect(r.headers.authorization).toBe('Api-Key AQVN-secret');
    expect(r.body).toEqual({ folderId: 'b1g-folder', texts: ['Нужен договор'], sourceLanguageCode: 'ru', targetLanguageCode: 'tg', format: 'PLAIN_TEXT' });
  });

  it('reports an HTTP error, a hang and a malformed answer as TranslationError', async () => {
    server.mode = 'fail';
    await expect(yandex().translate('x', 'ru', 'tg')).rejects.toThrow('Yandex Translate: HTTP 500');
    server.mode = 'garbage';
    await expect(yandex().translate('x', 'ru', 'tg')).rejects.toThrow('no translations[0].text');
    server.mode = 'hang';
    const quick = createYandexTranslate({ apiKey: 'k', folderId: 'f', url: `${server.url}/translate/v2/translate`, timeoutMs: 200 });
    await expect(quick.translate('x', 'ru', 'tg')).rejects.toBeInstanceOf(TranslationError);
  });
});
