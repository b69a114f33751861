/**
 * `npm run bench:broadcast -- --recipients 20000 --rate 25 [--hang-rate 0.03 --hang-ms 12000 --lease-ms 30000]`
 *
 * Runs the alert sender, as a separate process, against a fake Bot API over HTTP
 * on 127.0.0.1 that enforces the rate with 429 + retry_after, answers 403 for 1% of
 * chats ("blocked") and 500 for a share of requests, and holds a share of sends for
 * `--hang-ms` before answering (Telegram being slow). Twice: straight through, and
 * with the sender killed (SIGKILL) half way and restarted. Reports the achieved
 * rate against the configured one and the counts of delivered / blocked / failed /
 * duplicate / lost recipients.
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a throwaway database is
 * created and dropped), otherwise PGlite in a temporary directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { openDatabase } from '../src/db/client.js';
import { alertDeliveries } from '../src/db/schema/index.js';
import { createLogger } from '../src/logger.js';
import { startFakeTelegram } from './fake-telegram-server.js';
import { createScratchDatabase } from '../tests/helpers/test-database.js';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '25' },
    'error-rate': { type: 'string', default: '0.005' },
    'hang-rate': { type: 'string', default: '0' },
    'hang-ms': { type: 'string', default: '12000' },
    /** The worker's claim lease: 3 s by default (a quick takeover after the kill); 30000 is production's. */
    'lease-ms': { type: 'string', default: '3000' },
  },
});
const N = Number(values.recipients);
const RATE = Number(values.rate);
const ERROR_RATE = Number(values['error-rate']);
const HANG_RATE = Number(values['hang-rate']);
const HANG_MS = Number(values['hang-ms']);
const FIRST_ID = 10_000_000;

async function prepareDatabase(): Promise<{ target: string; drop: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const scratch = await createScratchDatabase(url);
    return { target: scratch.url, drop: scratch.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pravo-bcast-'));
  return { target: dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function withContainer<T>(target: string, fn: (c: Awaited<ReturnType<typeof createContainer>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(target.startsWith('postgres') ? { url: target } : { pgliteDir: target });
  try {
    const c = await createContainer(loadConfig({ LOG_LEVEL: 'silent' }), createLogger('silent'), { database });
    return await fn(c);
  } finally {
    await database.close();
  }
}

function worker(target: string, apiRoot: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'bench/broadcast-worker.ts'], {
    env: { ...process.env, BENCH_DB: target, API_ROOT: apiRoot, RATE: String(RATE), LEASE_MS: values['lease-ms'] },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

async function run(label: string, target: string, kill: boolean) {
  const blocked = new Set<number>();
  for (let i = 0; i < N; i += 100) blocked.add(FIRST_ID + i); // 1% blocked
  const telegram = await startFakeTelegram({ rate: RATE, blocked, errorRate: ERROR_RATE, hangRate: HANG_RATE, hangMs: HANG_MS });
  const alertId = await withContainer(target, async (c) => {
    const author = await c.staff.add('Bench author', 'staff');
    const reviewer = await c.staff.add('Bench lawyer', 'lawyer');
    const a = await c.alerts.create(author.member, { texts: { ru: `Тест рассылки (${label})` }, audience: { everyone: true } });
    await c.alerts.approve(reviewer.member, a.id);
    await c.alerts.send(a.id);
    return a.id;
  });
  const started = performance.now();
  let killedInFlight = 0;
  let p = worker(target, telegram.url);
  if (kill) {
    while (telegram.stats.ok < N / 2 && p.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    p.kill('SIGKILL');
    await exited(p);
    p = worker(target, telegram.url);
  }
  await exited(p);
  const elapsed = (performance.now() - started) / 1000;
  const counts = await withContainer(target, async (c) => {
    const rows = await c.database.db
      .select({ status: alertDeliveries.status, n: sql<number>`count(*)::int`, reclaimed: sql<number>`count(*) filter (where ${alertDeliveries.reclaimed})::int` })
      .from(alertDeliveries)
      .where(eq(alertDeliveries.alertId, alertId))
      .groupBy(alertDeliveries.status);
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    killedInFlight = rows.reduce((s, r) => s + Number(r.reclaimed), 0);
    return by;
  });
  await telegram.close();
  const delivered = [...telegram.received.keys()].length;
  const duplicates = [...telegram.received.values()].reduce((s, n) => s + n - 1, 0);
  const expected = N - blocked.size;
  const lost = expected - delivered - (counts.failed ?? 0);
  const window = (telegram.stats.lastAt - telegram.stats.firstAt) / 1000;
  // The steady rate: the median of the requests per second over the full seconds of
  // sending (the first and last partial seconds, and the pause after a kill, excluded).
  const seconds = [...telegram.perSecond.entries()].sort((a, b) => a[0] - b[0]).slice(1, -1).map(([, n]) => n).filter((n) => n > 0).sort((a, b) => a - b);
  const achieved = seconds.length ? seconds[Math.floor(seconds.length / 2)]! : telegram.stats.requests / window;
  console.log(
    `${label}: ${N} recipients in ${elapsed.toFixed(1)} s; Telegram saw ${telegram.stats.requests} requests in ${window.toFixed(1)} s (${(telegram.stats.requests / window).toFixed(1)}/s overall), median ${achieved.toFixed(1)}/s per full second ` +
      `(${((achieved / RATE) * 100).toFixed(1)}% of ${RATE}/s configured); 429s ${telegram.stats.tooMany}, 500s ${telegram.stats.serverErrors}, hung ${telegram.stats.hung} for ${HANG_MS / 1000} s; ` +
      `taken over after the kill (possible duplicates, reported): ${killedInFlight}`,
  );
  return { achieved, delivered, blocked: counts.blocked ?? 0, failed: counts.failed ?? 0, duplicates, lost: Math.max(0, lost), pending: counts.pending ?? 0 };
}

const db = await prepareDatabase();
try {
  // Seed N consented users once; both runs send to all of them.
  await withContainer(db.target, async (c) => {
    await c.database.db.execute(
      sql.raw(`insert into users (id, language, consented_at) select ${FIRST_ID} + g, 'ru', now() from generate_series(0, ${N - 1}) g`),
    );
  });
  const straight = await run('straight', db.target, false);
  const killed = await run('SIGKILL half way', db.target, true);
  for (const [name, r] of [['straight', straight], ['SIGKILL + restart', killed]] as const) {
    console.log(
      `broadcast (${name}): ${N} recipients, rate ${r.achieved.toFixed(1)}/s of ${RATE}/s configured, delivered ${r.delivered}, blocked ${r.blocked}, failed ${r.failed}, duplicates ${r.duplicates}, lost ${r.lost}`,
    );
  }
  const r = killed;
  console.log(`broadcast: ${N} recipients, rate ${r.achieved.toFixed(1)}/s of ${RATE}/s configured, delivered ${r.delivered}, blocked ${r.blocked}, failed ${r.failed}, duplicates ${r.duplicates}, lost ${r.lost}`);
} finally {
  await db.drop();
}
process.exit(0);
