/**
 * `npm run bench` — updates per second and latency of a realistic flow step (a
 * button press or a typed date, with the user's state read from and written to the
 * database), against a bare grammY bot with in-memory state, in the same process.
 *
 * Options: --updates N (default 5000), --users N (default 50), --db postgres|pglite|both,
 * --concurrency N (default 1: sequential; N > 1 keeps N updates of different users in
 * flight, as the runner does with many chats; at most --users)
 * (default both), --cluster (PostgreSQL also with CLUSTER_MODE=true: every update under its
 * chat's advisory lock until its writes are stored, as with several processes).
 * PostgreSQL is measured when BENCH_DATABASE_URL or TEST_DATABASE_URL is set
 * (a throwaway database is created and dropped); PGlite always.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gte } from 'drizzle-orm';
import { Bot, InlineKeyboard } from 'grammy';
import type { Update } from 'grammy/types';
import postgres from 'postgres';
import { createBotFromContainer } from '../src/bot/bot-for-container.js';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { flowRuns } from '../src/db/schema/index.js';
import { encodeFlowChoice } from '../src/flow-engine/callback-codec.js';
import { createFakeBotApi } from '../src/local/fake-bot-api.js';
import { LOCAL_BOT_INFO, LOCAL_BOT_TOKEN } from '../src/local/local-bot.js';
import { createLogger } from '../src/logger.js';

const { values } = parseArgs({ options: { updates: { type: 'string', default: '5000' }, users: { type: 'string', default: '50' }, db: { type: 'string', default: 'both' }, concurrency: { type: 'string', default: '1' }, cluster: { type: 'boolean', default: false } } });
const UPDATES = Number(values.updates);
const USERS = Number(values.users);
const CONCURRENCY = Math.max(1, Math.min(Number(values.concurrency), USERS));
const CLOCK = () => new Date('2026-02-20T09:00:00+03:00');

interface Result {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
}

function summarise(name: string, samples: number[], totalMs: number): Result {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { name, perSecond: (samples.length / totalMs) * 1000, p50: at(0.5), p99: at(0.99) };
}

let updateId = 1;
const from = (id: number) => ({ id, is_bot: false, first_name: 'B' });
const press = (userId: number, data: string, messageId: number): Update =>
  ({ update_id: updateId++, callback_query: { id: String(updateId), from: from(userId), chat_instance: 'b', data, message: { message_id: messageId, date: 0, chat: { id: userId, type: 'private' }, text: 'x' } } }) as Update;
const type = (userId: number, text: string): Update =>
  ({ update_id: updateId++, message: { message_id: updateId, date: 0, chat: { id: userId, type: 'private' }, from: from(userId), text } }) as Update;

/** `settle` runs inside the timed span: writes still queued at the end count too. */
/** Updates the warm-up sends before timing; they are numbered after the timed ones. */
const WARM_UP = Math.min(500, UPDATES / 5);

async function measure(name: string, handle: (u: Update) => Promise<void>, updates: (i: number) => Update, settle = async () => {}): Promise<Result> {
  for (let i = 0; i < WARM_UP; i++) await handle(updates(UPDATES + i)); // warm-up
  await settle(); // the warm-up's own writes are not part of the measurement
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  const samples: number[] = new Array(UPDATES);
  let next = 0;
  // Consecutive updates belong to different users, so with N in flight no user has
  // two at once (grammY's per-chat sequentializing would queue them anyway).
  const worker = async () => {
    for (let i = next++; i < UPDATES; i = next++) {
      const u = updates(i);
      const t0 = performance.now();
      await handle(u);
      samples[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await settle();
  const elapsed = performance.now() - start;
  if (process.env.BENCH_DEBUG) {
    // Below 1: the loop waited for something (the database) with nothing else to do.
    console.log(name, 'event loop utilisation', performance.eventLoopUtilization(elu).utilization.toFixed(3));
    for (let k = 0; k < 5; k++) {
      const mine = samples.filter((_, i) => Math.floor(i / USERS) % 5 === k).sort((a, b) => a - b);
      console.log(name, 'step', k, 'p50', mine[Math.floor(mine.length / 2)]?.toFixed(3), 'p90', mine[Math.floor(mine.length * 0.9)]?.toFixed(3), 'p99', mine[Math.floor(mine.length * 0.99)]?.toFixed(3), 'max', mine.at(-1)?.toFixed(2));
    }
  }
  return summarise(name, samples, elapsed);
}

/** The realistic step: a migrant walking the patent flow (buttons, then a typed date). */
async function benchPravo(name: string, database: DatabaseHandle, clusterUrl?: string): Promise<Result> {
  const cluster = clusterUrl ? { CLUSTER_MODE: 'true', DATABASE_URL: clusterUrl, BOT_TOKEN: '123456:BENCH-token-for-cluster-mode-00000' } : {};
  const config = loadConfig({ LOG_LEVEL: 'silent', ...cluster });
  const container = await createContainer(config, createLogger('silent'), { clock: CLOCK, database });
  const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, clock: CLOCK });
  const bot = createBotFromContainer(container, { token: LOCAL_BOT_TOKEN, botInfo: LOCAL_BOT_INFO, client: { fetch: api.fetch }, retry: false });
  const flow = container.flows.get('work-patent')!;
  const choice = (node: string, option: string) => {
    const n = flow.nodes[node]!;
    return encodeFlowChoice(flow.id, flow.version, node, n.type === 'choice' ? n.options.findIndex((o) => o.id === option) : -1);
  };
  // Every walk is a first walk: a user who walked the flow once has their answers as facts
  // and is not asked again, so each cycle takes fresh users (USERS walking at a time). All
  // users exist and are in the state cache before timing, as the returning users were before.
  const walkers = Math.ceil((UPDATES + WARM_UP) / (USERS * 5)) * USERS;
  for (let u = 0; u < walkers; u++) {
    const id = 900_000 + u;
    await container.users.setLanguage(id, 'uz', CLOCK());
    await container.users.setConsent(id, CLOCK());
    await bot.handleUpdate(press(id, 'm', 1));
  }
  // A cycle of five updates per user: open the flow, three answers, the entry date.
  const answers = [choice('citizenship', 'uz'), choice('has-residence', 'no-rvp'), choice('stage', 'apply')];
  const cycle = [
    (id: number) => press(id, 'f:work-patent', 1),
    ...answers.map((data) => (id: number) => press(id, data, 1)),
    (id: number) => type(id, '12.02.2026'),
  ];
  const walker = (i: number) => 900_000 + Math.floor(i / (USERS * 5)) * USERS + (i % USERS);
  const updates = (i: number) => cycle[Math.floor(i / USERS) % cycle.length]!(walker(i));
  const result = await measure(name, (u) => bot.handleUpdate(u), updates, async () => {
    await container.runs.drain();
  });
  if (process.env.BENCH_DEBUG) {
    const byMethod: Record<string, number> = {};
    for (const c of api.calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
    console.log(name, byMethod, container.userStates.stats);
  }
  // The write-behind must have stored exactly what the users saw.
  const stored = await database.db.select().from(flowRuns).where(gte(flowRuns.userId, 900_000));
  const differing = stored.filter((r) => container.userStates.get(r.userId)?.run?.node !== r.node).length;
  if (stored.length !== walkers || differing) throw new Error(`stored flow state differs: ${stored.length} runs, ${differing} differ`);
  await container.cluster?.close();
  return result;
}

/** Baseline: grammY with state in a Map and the same kind of reply, no database. */
async function benchBare(): Promise<Result> {
  const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, clock: CLOCK });
  const bot = new Bot(LOCAL_BOT_TOKEN, { botInfo: LOCAL_BOT_INFO, client: { fetch: api.fetch } });
  const state = new Map<number, number>();
  bot.on('callback_query:data', async (ctx) => {
    const s = (state.get(ctx.from.id) ?? 0) + 1;
    state.set(ctx.from.id, s);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(`Step ${s}`, { reply_markup: new InlineKeyboard().text('Next', `n:${s}`) }).catch(() => {});
  });
  bot.on('message:text', async (ctx) => {
    state.set(ctx.from.id, 0);
    await ctx.reply('Step 0', { reply_markup: new InlineKeyboard().text('Next', 'n:0') });
  });
  // Each user's first message gets the message whose button they then press, so
  // every edit succeeds, as in Pravo's run.
  for (let u = 0; u < USERS; u++) await bot.handleUpdate(type(900_000 + u, 'hi'));
  const updates = (i: number) => (i % 5 === 4 ? type(900_000 + (i % USERS), 'x') : press(900_000 + (i % USERS), `n:${i}`, 1));
  return measure('bare grammY, in-memory state', (u) => bot.handleUpdate(u), updates);
}

async function postgresDatabase(url: string) {
  const name = `pravo_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openDatabase({ url: u.href });
  await db.migrate();
  return {
    db,
    url: u.href,
    drop: async () => {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const fmt = (r: Result, base: Result) =>
  `${r.name.padEnd(34)} ${r.perSecond.toFixed(0).padStart(7)} updates/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${(r.perSecond / base.perSecond).toFixed(2)}× baseline throughput)`;

const results: Result[] = [await benchBare()];
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (pgUrl && values.db !== 'pglite') {
  const pg = await postgresDatabase(pgUrl);
  results.push(await benchPravo('Pravo flow step, PostgreSQL', pg.db));
  await pg.drop();
  if (values.cluster) {
    const again = await postgresDatabase(pgUrl);
    results.push(await benchPravo('Pravo, PostgreSQL, CLUSTER_MODE', again.db, again.url));
    await again.drop();
  }
} else if (values.db !== 'pglite') {
  console.log('(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
}
if (values.db !== 'postgres') {
  const lite = await openDatabase({});
  await lite.migrate();
  results.push(await benchPravo('Pravo flow step, PGlite (memory)', lite));
  await lite.close();
}

console.log(`\nflow-step benchmark: ${UPDATES} updates, ${CONCURRENCY === 1 ? 'sequential' : `${CONCURRENCY} in flight`}, ${USERS} users, Node ${process.version}`);
for (const r of results) console.log(fmt(r, results[0]!));
