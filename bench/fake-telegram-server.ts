/**
 * A fake Telegram Bot API over HTTP on 127.0.0.1 for the broadcast benchmark. It
 * enforces a send rate (a token bucket; over it, 429 with `retry_after`), answers
 * 403 for a set of "blocked" chats, and 5xx at a set rate, holds a share of calls
 * for a long time before answering (Telegram being slow; the message is delivered
 * when it answers), and counts what each chat received so duplicates and losses
 * can be told apart.
 */
import { createServer, type Server } from 'node:http';

export interface FakeTelegramOptions {
  /** Messages per second the server accepts (with one second of burst). */
  rate: number;
  blocked: Set<number>;
  /** Fraction of requests answered 500 (0–1). */
  errorRate: number;
  /** Fraction of accepted sends that hang for `hangMs` before answering (0–1). */
  hangRate?: number;
  hangMs?: number;
}

export interface FakeTelegram {
  url: string;
  received: Map<number, number>;
  stats: { requests: number; ok: number; tooMany: number; forbidden: number; serverErrors: number; hung: number; firstAt: number; lastAt: number };
  /** sendMessage requests per wall-clock second since the first one. */
  perSecond: Map<number, number>;
  close(): Promise<void>;
}

export async function startFakeTelegram(o: FakeTelegramOptions): Promise<FakeTelegram> {
  const received = new Map<number, number>();
  const stats = { requests: 0, ok: 0, tooMany: 0, forbidden: 0, serverErrors: 0, hung: 0, firstAt: 0, lastAt: 0 };
  const perSecond = new Map<number, number>();
  let tokens = o.rate;
  let last = performance.now();
  let messageId = 1;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const method = req.url?.slice(req.url.lastIndexOf('/') + 1);
      if (method !== 'sendMessage') return reply(200, { ok: true, result: true });
      const now = performance.now();
      stats.requests++;
      stats.firstAt ||= now;
      stats.lastAt = now;
      const second = Math.floor((now - stats.firstAt) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      tokens = Math.min(o.rate, tokens + ((now - last) / 1000) * o.rate);
      last = now;
      if (tokens < 1) {
        stats.tooMany++;
        return reply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
      }
      tokens -= 1;
      const { chat_id: chatId } = JSON.parse(body) as { chat_id: number };
      if (o.blocked.has(Number(chatId))) {
        stats.forbidden++;
        return reply(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
      }
      if (Math.random() < o.errorRate) {
        stats.serverErrors++;
        return reply(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
      }
      const deliver = () => {
        stats.ok++;
        received.set(Number(chatId), (received.get(Number(chatId)) ?? 0) + 1);
        reply(200, { ok: true, result: { message_id: messageId++, date: 0, chat: { id: chatId, type: 'private' }, text: '' } });
      };
      if (o.hangRate && Math.random() < o.hangRate) {
        stats.hung++;
        // Delivered when it finally answers, unless the client gave up and closed the connection.
        const timer = setTimeout(() => !res.destroyed && !res.writableEnded && deliver(), o.hangMs ?? 12_000);
        res.on('close', () => res.writableEnded || clearTimeout(timer));
        return;
      }
      deliver();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stats,
    perSecond,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
