/**
 * The user-state cache across processes (CLUSTER_MODE): a write that invalidates a
 * user in one process (a lawyer closing a case in the console, a user found
 * blocked) drops that user from the other processes' caches, over PostgreSQL's
 * LISTEN/NOTIFY; a process whose listening connection was cut drops its whole
 * cache, since it may have missed announcements. Two clusters in this test process
 * stand for two bot processes; the PostgreSQL is real.
 *
 * PostgreSQL only (skipped without TEST_DATABASE_URL; CI's PGlite pass excludes it).
 */
import postgres from 'postgres';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/test-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, createCluster } from '../../src/cluster/cluster.js';
import { openDatabase } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { createUserStateCache, type UserState, type UserStateCache } from '../../src/users/user-state-cache.js';
import type { UserRow } from '../../src/users/user-repository.js';
import { testTimeout, waitFor } from '../helpers/wait-for.js';

const url = process.env.TEST_DATABASE_URL;
if (!url) console.warn('[state-notices] skipped: set TEST_DATABASE_URL (a PostgreSQL the test may create a database in)');

const state = (id: number): UserState => ({ user: { id } as UserRow, run: undefined, pending: undefined, openCaseId: undefined, facts: {} });
const cacheWith = (cache: UserStateCache, ...ids: number[]) => {
  for (const id of ids) cache.put(id, state(id), cache.beginRead(id));
};

describe.skipIf(!url)('user-state announcements between processes', () => {
  let scratch: ScratchDatabase;
  const caches = [createUserStateCache(), createUserStateCache()];
  const clusters: Cluster[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(url!);
    const db = await openDatabase({ url: scratch.url, maxConnections: 1 });
    await db.migrate();
    await db.close();
    for (const cache of caches) {
      clusters.push(await createCluster({ url: scratch.url, chatConnections: 2, cache, settle: async () => {}, logger: createLogger('silent') }));
    }
  }, testTimeout());
  afterAll(async () => {
    for (const c of clusters) await c.close();
    await scratch?.drop();
  });

  it('drops a user changed in one process from the other’s cache, and only that user', async () => {
    const [a, b] = caches as [UserStateCache, UserStateCache];
    cacheWith(a, 1, 2);
    cacheWith(b, 1, 2);
    a.invalidate(1);
    await waitFor(() => b.get(1) === undefined, 'the other process to drop user 1');
    expect(b.get(2)).toBeDefined();
    expect(a.get(2)).toBeDefined();
    // And the other way round.
    b.invalidate(2);
    await waitFor(() => a.get(2) === undefined, 'the first process to drop user 2');
  }, testTimeout());

  it('drops the whole cache when the listening connection was cut (announcements may be lost)', async () => {
    const [a, b] = caches as [UserStateCache, UserStateCache];
    cacheWith(a, 10, 11);
    cacheWith(b, 10, 11);
    await scratch.admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${scratch.name}' and query ilike 'listen%'`);
    await waitFor(() => a.get(10) === undefined && b.get(11) === undefined, 'both caches to be dropped after the listen reconnects');
    // Listening again: announcements arrive as before.
    cacheWith(b, 12);
    a.invalidate(12);
    await waitFor(() => b.get(12) === undefined, 'an announcement after the reconnect');
  }, testTimeout(2));

  it('forgets chat turns older than an hour (a missing turn only costs one read)', async () => {
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    await sql`insert into chat_turns (chat_id, instance, at) values (1, 'a', now() - interval '2 hours'), (2, 'a', now())`;
    expect(await clusters[0]!.prune()).toBe(1);
    expect((await sql`select chat_id from chat_turns`).map((r) => Number(r.chat_id))).toEqual([2]);
    await sql.end();
  }, testTimeout());
});
