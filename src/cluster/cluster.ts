/**
 * What lets several bot processes share one PostgreSQL (CLUSTER_MODE=true; README
 * "Scaling"): per-chat turns under an advisory lock (chat-turns.ts), user-state
 * announcements over LISTEN/NOTIFY (state-notices.ts) and, in polling mode, the
 * election of the one poller (poll-leader.ts). All three use a connection pool of
 * their own, apart from the main one, so waiting for a chat's lock never holds a
 * connection the handlers need.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '../db/client.js';
import * as schema from '../db/schema/index.js';
import type { Logger } from '../logger.js';
import type { UserStateCache } from '../users/user-state-cache.js';
import { type ChatTurns, createChatTurns } from './chat-turns.js';
import { createPollLeader, type PollLeader } from './poll-leader.js';
import { createStateNotices } from './state-notices.js';

export interface ClusterOptions {
  url: string;
  /** Chat locks held at once (= chats handled at once by this process). */
  chatConnections: number;
  cache: UserStateCache;
  /** Waits until the user's writes behind the reply are stored. */
  settle(userId: number): Promise<void>;
  logger: Logger;
}

export interface Cluster {
  /** This process's name (host, pid, a random part). */
  instance: string;
  chatTurns: ChatTurns;
  /**
   * The flow state written behind the reply goes here: commits that do not wait for
   * the disk, as every update waits for them before its chat's lock is released. A
   * PostgreSQL crash may then lose the last few hundred milliseconds of flow steps
   * together with their updates' records (the user's next tap is told the menu
   * expired and finds the step before); a process crash loses no more than in one process.
   */
  writeDb: Database;
  /** The poller election (polling mode). */
  pollLeader(): PollLeader;
  /** Forgets `chat_turns` rows older than `maxAgeMs` (a missing row costs one read). */
  prune(maxAgeMs?: number): Promise<number>;
  close(): Promise<void>;
}

/** The user-state cache keeps an entry 5 minutes; a turn older than an hour tells nothing. */
const TURN_RETENTION_MS = 60 * 60 * 1000;

export async function createCluster(o: ClusterOptions): Promise<Cluster> {
  const instance = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  // +3: the LISTEN connection, the poller's lock, the flow-state writes. Commits here need
  // not wait for the disk: a chat's turn, the handled-update record, the flow state.
  const sql = postgres(o.url, { max: o.chatConnections + 3, onnotice: () => {}, connection: { synchronous_commit: 'off' } });
  const notices = createStateNotices({ sql, instance, logger: o.logger, drop: o.cache.drop, clear: o.cache.clear });
  await notices.start();
  o.cache.onInvalidate(notices.announce);
  const chatTurns = createChatTurns({ sql, instance, drop: o.cache.drop, cached: o.cache.has, settle: o.settle });
  let leader: PollLeader | undefined;
  return {
    instance,
    chatTurns,
    writeDb: drizzle(sql, { schema, casing: 'snake_case' }) as unknown as Database,
    pollLeader: () => (leader ??= createPollLeader({ sql, logger: o.logger })),
    async prune(maxAgeMs = TURN_RETENTION_MS) {
      const rows = await sql`delete from chat_turns where at < now() - make_interval(secs => ${maxAgeMs / 1000}) returning 1`;
      return rows.length;
    },
    async close() {
      o.cache.onInvalidate(undefined);
      await notices.stop();
      await leader?.release();
      await sql.end({ timeout: 5 });
    },
  };
}
