/**
 * A local stand-in for a translation provider, on 127.0.0.1: it answers the
 * LibreTranslate (`POST /translate`) and Yandex Cloud (`POST /translate/v2/translate`)
 * protocols, records every request, and can fail or hang on demand. Its
 * "translation" is the target language in brackets before the text.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface TranslationStandIn {
  url: string;
  requests: RecordedRequest[];
  /** ok: translate; fail: HTTP 500; hang: never answer; garbage: 200 with no translation. */
  mode: 'ok' | 'fail' | 'hang' | 'garbage';
  close(): Promise<void>;
}

/** What the stand-in returns for `text` into `to`. */
export const fakeTranslation = (text: string, to: string) => `[${to}] ${text}`;

export async function startTranslationStandIn(): Promise<TranslationStandIn> {
  const hanging = new Set<() => void>();
  const standIn: TranslationStandIn = { url: '', requests: [], mode: 'ok', close: async () => {} };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      standIn.requests.push({ path: req.url ?? '', headers: req.headers, body });
      if (standIn.mode === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      if (standIn.mode === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `cannot translate ${body.q ?? ''}` }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (standIn.mode === 'garbage') return res.end(JSON.stringify({ something: 'else' }));
      if (req.url === '/translate') return res.end(JSON.stringify({ translatedText: fakeTranslation(String(body.q), String(body.target)) }));
      if (req.url === '/translate/v2/translate') {
        return res.end(JSON.stringify({ translations: (body.texts as string[]).map((t) => ({ text: fakeTranslation(t, String(body.targetLanguageCode)) })) }));
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = async () => {
    for (const h of hanging) h();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return standIn;
}
