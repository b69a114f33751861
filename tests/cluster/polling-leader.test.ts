/**
 * Long polling with two bot processes (CLUSTER_MODE=true) on one PostgreSQL:
 * only the process holding the poller's lock calls getUpdates (Telegram allows
 * one), and when it is killed (SIGKILL: no goodbye) the other takes over and
 * answers what came meanwhile.
 *
 * PostgreSQL only (skipped without TEST_DATABASE_URL; CI's PGlite pass excludes it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/test-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTimeout, waitFor } from '../helpers/wait-for.js';

const url = process.env.TEST_DATABASE_URL;
if (!url) console.warn('[polling-leader] skipped: set TEST_DATABASE_URL (a PostgreSQL the test may create a database in)');

const TOKEN = '123456:TEST-token-for-the-local-stand-in-000';
const calls: { method: string; payload: Record<string, unknown>; by: string }[] = [];
let confirmed = 0;
let held: { update_id: number }[] = [];
let server: Server;
let root = '';
let scratch: ScratchDatabase | undefined;
let dbUrl = '';
const children: ChildProcess[] = [];

function startStandIn(): Promise<void> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const [, by] = /^\/(p[ab])\/bot/.exec(req.url!) ?? [];
      const method = req.url!.slice(req.url!.lastIndexOf('/') + 1);
      const payload = body ? JSON.parse(body) : {};
      calls.push({ method, payload, by: by ?? '?' });
      const ok = (result: unknown) => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result }));
      };
      if (method === 'getMe') return ok({ id: 9, is_bot: true, first_name: 'Pravo', username: 'pravo_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      if (method === 'getUpdates') {
        // As Telegram: an offset confirms every update below it for good.
        confirmed = Math.max(confirmed, Number(payload.offset ?? 0));
        held = held.filter((u) => u.update_id >= confirmed);
        if (held.length) return ok(held);
        return setTimeout(() => ok([]), 100);
      }
      if (method === 'sendMessage') return ok({ message_id: 100 + calls.length, date: 0, chat: { id: payload.chat_id, type: 'private' }, text: payload.text });
      return ok(true);
    });
  });
  return new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
}

const start = (name: string) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, BOT_TOKEN: TOKEN, BOT_MODE: 'polling', TELEGRAM_API_ROOT: `${root}/${name}`, DATABASE_URL: dbUrl, CLUSTER_MODE: 'true', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
};
const slash = (id: number, user: number, text: string) => ({
  update_id: id,
  message: { message_id: id, date: 0, chat: { id: user, type: 'private' }, from: { id: user, is_bot: false, first_name: 'P' }, text, entities: [{ type: 'bot_command', offset: 0, length: text.length }] },
});
const repliesTo = (user: number) => calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === user);

describe.skipIf(!url)('two polling processes on one PostgreSQL (CLUSTER_MODE)', () => {
  beforeAll(async () => {
    await startStandIn();
    const a = server.address();
    root = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    scratch = await createScratchDatabase(url!);
    dbUrl = scratch.url;
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await scratch?.drop();
  });

  it('lets one process poll, and the other take over when it is killed', async () => {
    const a = start('pa');
    start('pb');
    // Both are up (each registered its commands), and one of them polls.
    await waitFor(() => ['pa', 'pb'].every((p) => calls.filter((c) => c.method === 'setMyCommands' && c.by === p).length === 7), 'both processes to start');
    held.push(slash(1, 71, '/start'));
    await waitFor(() => repliesTo(71).length > 0, 'the answer to /start');
    const pollers = () => new Set(calls.filter((c) => c.method === 'getUpdates').map((c) => c.by));
    const leader = [...pollers()];
    expect(leader).toHaveLength(1);
    expect(repliesTo(71)[0]!.by).toBe(leader[0]);

    // The poller dies; an update waits at Telegram; the other process takes over and answers it.
    const [dying, other] = leader[0] === 'pa' ? [a, 'pb'] : [children[1]!, 'pa'];
    const exited = new Promise((r) => dying.once('exit', r));
    dying.kill('SIGKILL');
    await exited;
    held.push(slash(2, 72, '/start'));
    await waitFor(() => repliesTo(72).length > 0, 'the other process to take over and answer');
    expect(repliesTo(72).map((c) => c.by)).toEqual([other]);
    expect(pollers()).toEqual(new Set(['pa', 'pb']));
  }, testTimeout(3));
});
