/**
 * `npm run bench:api` — the lawyers' queue (`GET /api/cases`, first page of 20, with its
 * token check and audit record) against `GET /healthz` over real HTTP on 127.0.0.1, in
 * the same run, on a PostgreSQL database seeded with 100,000 cases and 100,000 users;
 * plus the alert audience count by topic and the statistics, timed in process.
 *
 * The audience is counted from `audience_counts` (groups of users, kept by a trigger); the
 * first count folds the rows the seeding added, and is reported on its own line.
 *
 * The load comes from a worker thread (its own event loop), `--connections` requests in
 * flight for `--seconds` each; the ratio is the queue's requests per second over
 * /healthz's. A throwaway database is created on BENCH_DATABASE_URL (or TEST_DATABASE_URL,
 * or postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards.
 *
 * Options: --cases N, --users N (default 100000 each), --seconds N (default 5),
 * --connections N (default 16), --counts N (audience counts timed, default 200).
 * Last line: `api: cases 100000, list p50 X ms p99 Y ms, healthz Z req/s, ratio R`.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import postgres from 'postgres';
import { createBotFromContainer } from '../src/bot/bot-for-container.js';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { openDatabase } from '../src/db/client.js';
import { buildHttpApp } from '../src/http/app.js';
import { createFakeBotApi } from '../src/local/fake-bot-api.js';
import { LOCAL_BOT_INFO, LOCAL_BOT_TOKEN } from '../src/local/local-bot.js';
import { createLogger } from '../src/logger.js';
import { seedScale } from '../tests/helpers/seed-scale.js';
import { createScratchDatabase } from '../tests/helpers/test-database.js';
import { benchServerUrl } from './bench-database.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    users: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    counts: { type: 'string', default: '200' },
  },
});
const CASES = Number(values.cases);
const USERS = Number(values.users);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

/** The load generator: plain JavaScript in a worker, so it needs no TypeScript loader. */
const LOAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, headers, seconds, connections } = workerData;
(async () => {
  const latencies = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  async function loop() {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
      latencies.push(performance.now() - t0);
    }
  }
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  parentPort.postMessage({ latencies, errors, elapsed: (performance.now() - t0) / 1000 });
})();
`;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function load(url: string, headers: Record<string, string>, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const w = new Worker(LOAD, { eval: true, workerData: { url, headers, seconds, connections: CONNECTIONS } });
    w.once('message', (m: { latencies: number[]; errors: number; elapsed: number }) => {
      const s = m.latencies.sort((a, b) => a - b);
      resolve({ rps: s.length / m.elapsed, p50: pct(s, 0.5), p99: pct(s, 0.99), errors: m.errors });
      void w.terminate();
    });
    w.once('error', reject);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const ms = (v: number) => v.toFixed(v < 10 ? 2 : 1);

async function main() {
  const scratch = await createScratchDatabase(benchServerUrl());
  const seedClient = postgres(scratch.url, { max: 1, onnotice: () => {} });
  try {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: scratch.url, API_RATE_LIMIT: '100000000' });
    const database = await openDatabase({ url: scratch.url });
    const container = await createContainer(config, createLogger('silent'), { database });
    let t = performance.now();
    await seedScale(seedClient, { users: USERS, cases: CASES });
    console.log(`seeded ${CASES} cases and ${USERS} users in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // The alert audience by topic, as the console asks while a draft is edited.
    const times: number[] = [];
    const audience = { topics: ['patent' as const, 'registration' as const] };
    let recipients = 0;
    // The first count folds the +1/−1 rows the seeding left (one per user added or changed).
    const countRows = (await seedClient.unsafe('select count(*)::int as n from audience_counts'))[0]?.n;
    t = performance.now();
    await container.alerts.audienceSize(audience, ['ru', 'uz']);
    const firstCount = performance.now() - t;
    const groupRows = (await seedClient.unsafe('select count(*)::int as n from audience_counts'))[0]?.n;
    console.log(`audience counts: ${countRows} rows after seeding, folded by the first count into ${groupRows} groups in ${ms(firstCount)} ms`);
    for (let i = 0; i < 10; i++) await container.alerts.audienceSize(audience, ['ru', 'uz']);
    for (let i = 0; i < Number(values.counts); i++) {
      t = performance.now();
      recipients = (await container.alerts.audienceSize(audience, ['ru', 'uz'])).recipients;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`audience: users ${USERS}, by topic (patent, registration) ${recipients} recipients, p50 ${ms(pct(times, 0.5))} ms p99 ${ms(pct(times, 0.99))} ms`);
    // In the same run, for scale: the count as it was written before (a subquery per user,
    // lists expanded from jsonb), and a plain count of the same users (one scan, no topics).
    const timeSql = async (text: string, n: number) => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        t = performance.now();
        await seedClient.unsafe(text);
        xs.push(performance.now() - t);
      }
      return xs.sort((a, b) => a - b);
    };
    const flowsOf = JSON.stringify(Object.fromEntries(['patent', 'registration'].map((tp) => [tp, container.flows.list.filter((f) => f.topic === tp).map((f) => f.id)])));
    const before = await timeSql(
      `select count(*)::int, count(*) filter (where u.language not in (select jsonb_array_elements_text('["ru","uz"]'::jsonb)))::int
       from users u where u.consented_at is not null and u.blocked_at is null and not u.alerts_off and exists (
         select 1 from jsonb_array_elements_text('["patent","registration"]'::jsonb) as t(topic)
         where coalesce((u.topics ->> t.topic)::boolean, t.topic = 'general' or exists (
           select 1 from flow_results r where r.user_id = u.id and r.flow_id in (select jsonb_array_elements_text('${flowsOf}'::jsonb -> t.topic)))))`,
      Math.min(20, Number(values.counts)),
    );
    const plain = await timeSql('select count(*) from users u where u.consented_at is not null and u.blocked_at is null and not u.alerts_off', Number(values.counts));
    console.log(
      `audience, same run: before (per-user subquery) p50 ${ms(pct(before, 0.5))} ms; a plain count of the same users p50 ${ms(pct(plain, 0.5))} ms; now/before ${(pct(times, 0.5) / pct(before, 0.5)).toFixed(2)}, now/plain ${(pct(times, 0.5) / pct(plain, 0.5)).toFixed(2)}`,
    );
    const statTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      await container.cases.stats();
      statTimes.push(performance.now() - t);
    }
    statTimes.sort((a, b) => a - b);
    console.log(`stats: cases ${CASES}, p50 ${ms(pct(statTimes, 0.5))} ms p99 ${ms(pct(statTimes, 0.99))} ms`);

    const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, clock: container.clock });
    const bot = createBotFromContainer(container, { token: LOCAL_BOT_TOKEN, botInfo: LOCAL_BOT_INFO, client: { fetch: api.fetch } });
    const app = await buildHttpApp({ container, bot, telegramFetch: api.fetch });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const token = (await container.staff.add('Бенч', 'lawyer')).token;
    const auth = { authorization: `Bearer ${token}` };

    // Warm both routes, then measure them one after the other in the same run.
    await load(`${base}/healthz`, {}, 1);
    await load(`${base}/api/cases`, auth, 1);
    const health = await load(`${base}/healthz`, {}, SECONDS);
    const list = await load(`${base}/api/cases`, auth, SECONDS);
    console.log(`healthz: ${health.rps.toFixed(0)} req/s, p50 ${ms(health.p50)} ms p99 ${ms(health.p99)} ms, errors ${health.errors}`);
    console.log(`cases:   ${list.rps.toFixed(0)} req/s, p50 ${ms(list.p50)} ms p99 ${ms(list.p99)} ms, errors ${list.errors}`);
    await app.close();
    await container.close();
    console.log(
      `api: cases ${CASES}, list p50 ${ms(list.p50)} ms p99 ${ms(list.p99)} ms, healthz ${health.rps.toFixed(0)} req/s, ratio ${(list.rps / health.rps).toFixed(2)}`,
    );
  } finally {
    await seedClient.end();
    await scratch.drop();
  }
}

await main();
