/**
 * Machine-translation adapters. The NGO chooses the provider: a self-hosted
 * LibreTranslate-compatible server keeps migrants' words in-house; Yandex Cloud
 * Translate covers uz, tg, ky, az and ro but sends the text to Yandex. Each adapter
 * is a thin HTTP call with a deadline; anything unexpected becomes a
 * TranslationError naming the provider and what went wrong (never the text).
 */

/** What a caller needs: translate one plain text between two of our languages. */
export interface MachineTranslator {
  /** Short id stored beside each translation ("libretranslate", "yandex"). */
  readonly id: 'libretranslate' | 'yandex';
  /** Who receives the texts, named in the consent text and the console. */
  readonly displayName: string;
  translate(text: string, from: string, to: string): Promise<string>;
}

export class TranslationError extends Error {
  override readonly name = 'TranslationError';
}

export interface HttpOptions {
  /** A slow provider must not hold a lawyer or a migrant: give up after this long. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

async function postJson(provider: string, url: string, body: unknown, headers: Record<string, string>, opts: HttpOptions): Promise<unknown> {
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    const why = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? `no answer within ${opts.timeoutMs} ms` : 'could not be reached';
    throw new TranslationError(`${provider}: ${why}`, { cause: err });
  }
  if (!res.ok) {
    // The body may echo the text: keep only the status in the message.
    await res.body?.cancel().catch(() => {});
    throw new TranslationError(`${provider}: HTTP ${res.status}`);
  }
  try {
    return await res.json();
  } catch (err) {
    throw new TranslationError(`${provider}: the answer is not JSON`, { cause: err });
  }
}

/**
 * LibreTranslate's `POST /translate` ({q, source, target, format, api_key}) →
 * {translatedText}. Argos-based servers and compatible ones answer the same way.
 */
export function createLibreTranslate(opts: HttpOptions & { url: string; apiKey?: string }): MachineTranslator {
  const endpoint = new URL('translate', opts.url.endsWith('/') ? opts.url : `${opts.url}/`).href;
  return {
    id: 'libretranslate',
    displayName: `LibreTranslate (${new URL(opts.url).host})`,
    async translate(text, from, to) {
      const body = { q: text, source: from, target: to, format: 'text', ...(opts.apiKey ? { api_key: opts.apiKey } : {}) };
      const json = (await postJson('LibreTranslate', endpoint, body, {}, opts)) as { translatedText?: unknown };
      if (typeof json?.translatedText !== 'string') throw new TranslationError('LibreTranslate: no translatedText in the answer');
      return json.translatedText;
    },
  };
}

/** Yandex Cloud Translate v2 (`POST /translate/v2/translate`) with an API key of a service account. */
export const YANDEX_TRANSLATE_URL = 'https://translate.api.cloud.yandex.net/translate/v2/translate';

export function createYandexTranslate(opts: HttpOptions & { apiKey: string; folderId: string; url?: string }): MachineTranslator {
  return {
    id: 'yandex',
    displayName: 'Yandex Cloud Translate (Яндекс)',
    async translate(text, from, to) {
      const body = { folderId: opts.folderId, texts: [text], sourceLanguageCode: from, targetLanguageCode: to, format: 'PLAIN_TEXT' };
      const json = (await postJson('Yandex Translate', opts.url ?? YANDEX_TRANSLATE_URL, body, { authorization: `Api-Key ${opts.apiKey}` }, opts)) as {
        translations?: { text?: unknown }[];
      };
      const out = json?.translations?.[0]?.text;
      if (typeof out !== 'string') throw new TranslationError('Yandex Translate: no translations[0].text in the answer');
      return out;
    },
  };
}
