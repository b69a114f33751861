/**
 * The lawyers' queue, the alert audience by topic and the statistics read indexes, not
 * the whole table, on a database the size of a busy NGO's (PostgreSQL only: PGlite's
 * planner is the same, but the point is production). The queries checked are the ones
 * the services really send, captured from drizzle's logger, and EXPLAINed with their
 * parameters on 20,000 cases and 20,000 users.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/test-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Container, createContainer } from '../../src/container.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import * as schema from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { seedScale } from '../helpers/seed-scale.js';

const url = process.env.TEST_DATABASE_URL;
let scratch: ScratchDatabase | undefined;
let client: postgres.Sql;
let container: Container;
const captured: { query: string; params: unknown[] }[] = [];

beforeAll(async () => {
  if (!url) return;
  scratch = await createScratchDatabase(url);
  const handle = await openDatabase({ url: scratch.url, maxConnections: 2 });
  client = postgres(scratch.url, { max: 2, onnotice: () => {} });
  // The container's own database API, with a logger that keeps every query it sends.
  const db = drizzle(client, { schema, casing: 'snake_case', logger: { logQuery: (query, params) => captured.push({ query, params }) } }) as unknown as Database;
  container = await createContainer(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: scratch.url }), createLogger('silent'), { database: { ...handle, db } });
  await seedScale(client, { users: 20_000, cases: 20_000 });
}, 300_000);

afterAll(async () => {
  if (!url) return;
  await container?.close();
  await client?.end();
  await scratch?.drop();
});

/** The plan of the last query `run` sent, as text. */
async function planOf(run: () => Promise<unknown>): Promise<string> {
  captured.length = 0;
  await run();
  const last = captured.at(-1)!;
  const rows = await client.unsafe(`explain ${last.query}`, last.params as postgres.ParameterOrJSON<never>[]);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

describe.skipIf(!url)('query plans at scale (PostgreSQL)', () => {
  it('reads the first page of the queue from the queue index, without sorting the cases table', async () => {
    const plan = await planOf(() => container.cases.queue.keys({ limit: 20 }));
    expect(plan).toContain('cases_queue_active_idx');
    expect(plan).not.toMatch(/Seq Scan on cases/);
    expect(plan).not.toMatch(/Sort/);
    const page = await container.cases.queue.list({ limit: 20 });
    expect(page.items).toHaveLength(20);
    expect(page.items[0]?.priority).toBe('urgent');
    // The whole rows of the cases not yet held as JSON are read by primary key.
    const rows = await planOf(() => container.cases.queue.rows(page.items.map((c) => c.id)));
    expect(rows).toContain('cases_pkey');
    expect(rows).not.toMatch(/Seq Scan on cases/);
  });

  it('reads the next page from the same index (the cursor is an index condition)', async () => {
    const first = await container.cases.queue.list({ limit: 20 });
    const plan = await planOf(() => container.cases.queue.keys({ limit: 20, cursor: first.nextCursor }));
    expect(plan).toMatch(/Index Cond: .*ROW/);
    expect(plan).not.toMatch(/Seq Scan on cases|Sort/);
  });

  it('lists closed cases in queue order from the index of every status', async () => {
    const plan = await planOf(() => container.cases.queue.keys({ limit: 20, status: ['closed'] }));
    expect(plan).toContain('cases_queue_all_idx');
    expect(plan).not.toMatch(/Seq Scan on cases|Sort/);
  });

  it('counts an alert audience from the counts per group of users, not from the users table, with no subquery, no parallel workers and no JIT', async () => {
    await container.alerts.audienceSize({ everyone: true }, ['ru']); // folds the seed's +1/−1 rows
    const plan = await planOf(() => container.alerts.audienceSize({ topics: ['patent', 'registration'] }, ['ru', 'uz']));
    expect(plan).toContain('audience_counts');
    expect(plan).not.toMatch(/ users|flow_results|SubPlan|Gather|JIT/);
    // The groups: a few hundred rows for 20,000 users (7 languages × 5 citizenships × topic choices × flows walked).
    const [groups] = await client.unsafe('select count(*)::int as n from audience_counts');
    expect(groups!.n).toBeLessThan(1_000);
  });

  it('counts the same users as the definition: an explicit choice wins, else the flows walked', async () => {
    // The definition, written the slow way: a subquery per user over flow_results.
    const reference = async (topic: string, flowIds: string[]) => {
      const [row] = await client.unsafe(
        `select count(*)::int as n from users u where u.consented_at is not null and u.blocked_at is null and not u.alerts_off
         and coalesce((u.topics ->> $1)::boolean, exists (select 1 from flow_results r where r.user_id = u.id and r.flow_id = any($2::text[])))`,
        [topic, flowIds],
      );
      return row!.n as number;
    };
    expect((await container.alerts.audienceSize({ topics: ['patent'] }, ['ru'])).recipients).toBe(await reference('patent', ['work-patent']));
    expect((await container.alerts.audienceSize({ topics: ['status'] }, ['ru'])).recipients).toBe(await reference('status', ['stay-status']));
    // A result written now (the trigger keeps users.walked_flows) reaches the count at once.
    const before = (await container.alerts.audienceSize({ topics: ['status'] }, ['ru'])).recipients;
    await client.unsafe(`insert into users (id, language, consented_at) values (900000001, 'uz', now())`);
    await client.unsafe(
      `insert into flow_results (user_id, flow_id, flow_version, outcome, answers, dates) values (900000001, 'stay-status', 1, 'answer', '{}', '[]'), (900000001, 'stay-status', 1, 'answer', '{}', '[]')`,
    );
    const [u] = await client.unsafe(`select walked_flows from users where id = 900000001`);
    expect(u!.walked_flows).toEqual(['stay-status']);
    expect((await container.alerts.audienceSize({ topics: ['status'] }, ['ru'])).recipients).toBe(before + 1);
    await client.unsafe(`update users set topics = '{"status": false}' where id = 900000001`);
    expect((await container.alerts.audienceSize({ topics: ['status'] }, ['ru'])).recipients).toBe(before);
  });

  it('computes the statistics from the statistics index alone', async () => {
    captured.length = 0;
    const stats = await container.cases.stats();
    expect(stats.byStatus).toEqual({ closed: 14_000, open: 4_000, claimed: 2_000 });
    expect(Object.values(stats.byTopic).reduce((a, b) => a + b, 0)).toBe(20_000);
    for (const q of [...captured]) {
      const rows = await client.unsafe(`explain ${q.query}`, q.params as postgres.ParameterOrJSON<never>[]);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('Index Only Scan using cases_stats_idx');
    }
  });
});
