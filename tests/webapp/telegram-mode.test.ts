/**
 * `npm start` with a token (polling, against a local stand-in of the Bot API): the
 * web app at /app/ runs beside Telegram. A Telegram user's /start is answered
 * through the Bot API; a web visitor's conversation goes to the web store, and not
 * one call for a web chat reaches Telegram.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = '123456:TEST-token-for-the-local-stand-in-000';
const WEB_BASE = 2 ** 52;
const calls: { method: string; payload: Record<string, unknown> }[] = [];
// biome-ignore lint/suspicious/noExplicitAny: raw Telegram updates
let pending: any[] = [
  {
    update_id: 1,
    message: { message_id: 1, date: 0, chat: { id: 77, type: 'private' }, from: { id: 77, is_bot: false, first_name: 'A', language_code: 'ky' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] },
  },
];
let telegram: Server;
let app: ChildProcess;
let dataDir = '';
let base = '';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

const until = async (what: () => boolean | Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  telegram = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const method = req.url!.slice(req.url!.lastIndexOf('/') + 1);
      const payload = body ? JSON.parse(body) : {};
      calls.push({ method, payload });
      const ok = (result: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
      if (method === 'getMe') return ok({ id: 9, is_bot: true, first_name: 'Pravo', username: 'pravo_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      if (method === 'getUpdates') {
        const offset = Number(payload.offset ?? 0);
        const due = pending.filter((u) => u.update_id >= offset);
        pending = due;
        if (due.length) return ok(due);
        return setTimeout(() => ok([]), 200);
      }
      if (method === 'sendMessage') return ok({ message_id: 100 + calls.length, date: 0, chat: { id: payload.chat_id, type: 'private' }, text: payload.text });
      return ok(true);
    });
  });
  await new Promise<void>((r) => telegram.listen(0, '127.0.0.1', r));
  const root = `http://127.0.0.1:${(telegram.address() as { port: number }).port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'pravo-webapp-tg-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, HOST: '127.0.0.1', PORT: String(port), PGLITE_DIR: join(dataDir, 'pglite'), DATABASE_URL: '', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await until(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 150_000);
}, 180_000);

afterAll(async () => {
  if (app && app.exitCode === null) {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
  }
  await new Promise((r) => telegram.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the web app beside Telegram', () => {
  it('answers a Telegram user through Telegram and a web visitor in the app, routed by chat id', async () => {
    await until(() => calls.some((c) => c.method === 'sendMessage' && c.payload.chat_id === 77));

    const started = await fetch(`${base}/app/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: 'az' }) });
    expect(started.status).toBe(200);
    const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
    const { chatId } = (await started.json()) as { chatId: number };
    expect(chatId).toBeGreaterThanOrEqual(WEB_BASE);
    const chat = (await (await fetch(`${base}/app/api/messages?after=0`, { headers: { cookie } })).json()) as { messages: { html: string; buttons: { callback_data?: string }[][] }[] };
    expect(chat.messages.at(-1)?.buttons.flat().map((b) => b.callback_data)).toContain('c:y');

    expect(calls.filter((c) => Number(c.payload.chat_id) >= WEB_BASE)).toEqual([]);
    expect(calls.filter((c) => c.method === 'answerCallbackQuery' && String(c.payload.callback_query_id).startsWith('web:'))).toEqual([]);
  }, 120_000);
});
