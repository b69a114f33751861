/**
 * `npm run bench:soak` — drives --users simulated users (default 100,000) through local
 * mode as its browser chat does (POST /local/updates: /start, then a tap on the first
 * language), --concurrency users at a time, and prints the process's
 * memory every --every users (RSS and V8 heap after a full GC), with what the Bot API
 * stand-in and the user-state cache hold. A flat curve after warm-up is the goal: before
 * the bounds the stand-in kept every message forever (about 17 KB per user).
 *
 * The database is PostgreSQL (a throwaway database on BENCH_DATABASE_URL, TEST_DATABASE_URL
 * or postgres://postgres@127.0.0.1:5432/postgres), so its rows are not in this process's
 * memory (with PGlite they would be: `--db pglite` shows that too). Run with
 * `node --expose-gc` (the npm script does) for heap figures after GC.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createBotFromContainer } from '../src/bot/bot-for-container.js';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { buildHttpApp } from '../src/http/app.js';
import { createFakeBotApi } from '../src/local/fake-bot-api.js';
import { LOCAL_BOT_INFO, LOCAL_BOT_TOKEN } from '../src/local/local-bot.js';
import { createLogger } from '../src/logger.js';
import { createScratchDatabase } from '../tests/helpers/test-database.js';
import { benchServerUrl } from './bench-database.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    every: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '20' },
    db: { type: 'string', default: 'postgres' },
  },
});
const USERS = Number(values.users);
const EVERY = Number(values.every);
const CONCURRENCY = Number(values.concurrency);
for (const [name, n] of [['--users', USERS], ['--every', EVERY], ['--concurrency', CONCURRENCY]] as const) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1`);
}
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function main() {
  let database: DatabaseHandle;
  let cleanup = async () => {};
  if (values.db === 'pglite') database = await openDatabase({});
  else {
    const scratch = await createScratchDatabase(benchServerUrl());
    database = await openDatabase({ url: scratch.url });
    cleanup = async () => {
      await scratch.drop();
    };
  }
  try {
    const container = await createContainer(loadConfig({ LOG_LEVEL: 'silent' }), createLogger('silent'), { database });
    // As main.ts builds local mode (the stand-in with its default bounds).
    const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, clock: container.clock });
    const bot = createBotFromContainer(container, { token: LOCAL_BOT_TOKEN, botInfo: LOCAL_BOT_INFO, client: { fetch: api.fetch }, updateSource: 'soak' });
    const app = await buildHttpApp({ container, bot, local: { api } });
    const post = async (update: unknown) => {
      const res = await app.inject({ method: 'POST', url: '/local/updates', payload: update as object });
      if (res.statusCode !== 200) throw new Error(`local update answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    };
    const from = (id: number) => ({ id, is_bot: false, first_name: 'Soak' });
    const start = (id: number) => ({ message: { chat: { id, type: 'private' }, from: from(id), text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });
    async function walk(id: number) {
      await post(start(id));
      const last = api.view(id).messages.filter((m) => m.from === 'bot').at(-1);
      const button = last?.buttons.flat().find((b) => b.callback_data);
      if (last && button) await post({ callback_query: { from: from(id), data: button.callback_data, message: { message_id: last.id, chat: { id, type: 'private' } } } });
    }

    const t0 = performance.now();
    const curve: { users: number; rss: number; heap: number }[] = [];
    let next = 1;
    const report = (users: number) => {
      gc?.();
      const m = process.memoryUsage();
      const held = api.size();
      curve.push({ users, rss: m.rss, heap: m.heapUsed });
      console.log(
        `users ${String(users).padStart(6)}: rss ${mb(m.rss).padStart(4)} MB, heap ${mb(m.heapUsed).padStart(4)} MB, stand-in ${held.chats} chats ${held.messages} messages ${held.calls} calls, ${((users / (performance.now() - t0)) * 1000).toFixed(0)} users/s`,
      );
    };
    let done = 0;
    let nextReport = EVERY;
    async function worker() {
      while (next <= USERS) {
        const id = 1_000_000 + next++;
        await walk(id);
        done++;
        if (done >= nextReport) {
          nextReport += EVERY;
          report(done);
        }
      }
    }
    report(0);
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // The last users, when --users is not a multiple of --every (or below it): the summary needs a sample at the end.
    if (curve.at(-1)!.users !== done) report(done);
    await app.close();
    await container.close();
    const half = curve.filter((c) => c.users >= USERS / 2);
    const first = half[0]!;
    const last = curve.at(-1)!;
    console.log(
      `soak: users ${USERS}, rss ${mb(first.rss)} → ${mb(last.rss)} MB over the second half (${(((last.rss - first.rss) / first.rss) * 100).toFixed(1)}%), heap ${mb(first.heap)} → ${mb(last.heap)} MB (${(((last.heap - first.heap) / first.heap) * 100).toFixed(1)}%), ${(USERS / ((performance.now() - t0) / 1000)).toFixed(0)} users/s`,
    );
  } finally {
    await cleanup();
  }
}

await main();
