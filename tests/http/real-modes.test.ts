/**
 * `npm start` with a token, against a local HTTP stand-in of the Bot API (as
 * TELEGRAM_API_ROOT would point at a self-hosted Bot API server): long polling
 * receives an update and answers it; SIGTERM stops the process cleanly, and a new
 * start resumes a user's flow at the same step.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTimeout, waitFor } from '../helpers/wait-for.js';

const TOKEN = '123456:TEST-token-for-the-local-stand-in-000';
const calls: { method: string; payload: Record<string, unknown> }[] = [];
let confirmed = 0;
const PENDING_START = {
  update_id: 1,
  message: { message_id: 1, date: 0, chat: { id: 77, type: 'private' }, from: { id: 77, is_bot: false, first_name: 'A', language_code: 'ky' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] },
};
// biome-ignore lint/suspicious/noExplicitAny: raw Telegram updates of several kinds
let pending: any[] = [PENDING_START];
let server: Server;
let root = '';
let app: ChildProcess;
let dataDir = '';

beforeAll(async () => {
  // The bundle is built by `npm install` (prepare); rebuilt here only if a source is newer.
  execFileSync(process.execPath, ['scripts/build-server.mjs', '--if-stale', '--quiet'], { stdio: 'inherit' });
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const method = req.url!.slice(req.url!.lastIndexOf('/') + 1);
      const payload = body ? JSON.parse(body) : {};
      calls.push({ method, payload });
      const ok = (result: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result }));
      };
      if (!req.url!.includes(`/bot${TOKEN}/`)) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
      }
      if (method === 'getMe') return ok({ id: 9, is_bot: true, first_name: 'Pravo', username: 'pravo_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      if (method === 'getUpdates') {
        // As Telegram: an offset confirms every update before it, for good.
        confirmed = Math.max(confirmed, Number(payload.offset ?? 0));
        const due = pending.filter((u) => u.update_id >= confirmed);
        if (due.length) return ok(due);
        // Long polling: answer empty after a short wait.
        return setTimeout(() => ok([]), 200);
      }
      if (method === 'sendMessage') return ok({ message_id: 100 + calls.length, date: 0, chat: { id: payload.chat_id, type: 'private' }, text: payload.text });
      return ok(true);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  root = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  dataDir = mkdtempSync(join(tmpdir(), 'pravo-real-'));
});

afterAll(async () => {
  if (app && app.exitCode === null) app.kill('SIGKILL');
  await new Promise((r) => server.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The sources through tsx (`npm run dev`) and the bundle `npm start` runs: bundled, grammY
 * reaches the Bot API through node-fetch, which recognises an AbortSignal by its class's
 * name, so a bundle minified without `keepNames` never reached Telegram.
 */
const STARTS = [
  ['the sources (tsx)', ['--import', 'tsx', 'src/main.ts'], 'pglite-tsx'],
  ['the bundle (npm start)', ['dist/server/bundle/start.cjs'], 'pglite-bundle'],
] as const;

describe('polling mode against a self-hosted Bot API', () => {
  it.each(STARTS)('%s: starts, registers commands in every language, answers /start, and stops on SIGTERM', async (_name, args, folder) => {
    // A database of its own: the other start already handled update 1.
    calls.length = 0;
    confirmed = 0;
    pending = [PENDING_START];
    app = spawn(process.execPath, [...args], {
      env: { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, PORT: '0', PGLITE_DIR: join(dataDir, folder), DATABASE_URL: '', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(() => calls.some((c) => c.method === 'sendMessage'), 'the answer to /start');
    const reply = calls.find((c) => c.method === 'sendMessage');
    expect(reply?.payload.chat_id).toBe(77);
    expect(JSON.stringify(reply?.payload.reply_markup)).toContain('l:ky');
    expect(calls.filter((c) => c.method === 'setMyCommands')).toHaveLength(7);
    expect(calls.some((c) => c.method === 'deleteWebhook')).toBe(true);
    pending = [];
    app.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => app.once('exit', (c) => r(c)));
    expect(code).toBe(0);
  }, testTimeout(2));

  it('resumes a flow at the same step after a stop (SIGTERM) and a new start', async () => {
    const USER = 78;
    const dir = join(dataDir, 'resume');
    const start = () =>
      spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, PORT: '0', PGLITE_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'error' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    let nextId = 1000;
    const from = { id: USER, is_bot: false, first_name: 'B' };
    const chat = { id: USER, type: 'private' };
    const screens = () => calls.filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && c.payload.chat_id === USER);
    const buttons = () => {
      const markup = screens().at(-1)?.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] } | undefined;
      return (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
    };
    /** Sends an update and waits until the bot has answered it and confirmed it. */
    const send = async (update: Record<string, unknown>) => {
      const id = nextId++;
      const seen = screens().length;
      pending.push({ update_id: id, ...update });
      await waitFor(() => screens().length > seen && confirmed > id, `update ${id} to be answered and confirmed`);
    };
    const text = (t: string) => send({ message: { message_id: nextId, date: 0, chat, from, text: t, ...(t.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: t.length }] } : {}) } });
    const press = (data: string) => send({ callback_query: { id: String(nextId), from, chat_instance: 'r', data, message: { message_id: 500, date: 0, chat, text: 'x' } } });

    app = start();
    await text('/start');
    await press('l:en');
    await press('c:y');
    await press('f:work-patent');
    await press(buttons()[0]!); // the first answer
    const question = screens().at(-1)!.payload.text;
    app.kill('SIGTERM');
    expect(await new Promise<number | null>((r) => app.once('exit', (c) => r(c)))).toBe(0);

    app = start();
    await text('/menu');
    expect(buttons()).toContain('k'); // "Continue: Work patent"
    await press('k');
    expect(screens().at(-1)!.payload.text).toBe(question);
    app.kill('SIGTERM');
    expect(await new Promise<number | null>((r) => app.once('exit', (c) => r(c)))).toBe(0);
  }, testTimeout(4));

  it('refuses to start with a malformed token, naming the variable', async () => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, BOT_TOKEN: 'not-a-token', PGLITE_DIR: join(dataDir, 'other') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr!.on('data', (c) => {
      err += c;
    });
    const code = await new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(err).toMatch(/BOT_TOKEN/);
  }, testTimeout());
});
