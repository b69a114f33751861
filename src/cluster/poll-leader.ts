/**
 * Leader election for long polling (cluster mode): Telegram lets one getUpdates
 * call run per token, so of several bot processes only the one holding a
 * session-level advisory lock polls. The others serve HTTP (admin API, console,
 * web app) and run the senders, and try the lock every few seconds: when the
 * poller stops or dies, its connection closes, PostgreSQL releases the lock, and
 * one of them takes over and continues from the offset Telegram still holds (an
 * update is confirmed only once handled, see src/bot/polling.ts).
 *
 * The holder checks its lock's connection every few seconds; if it is lost, the
 * lock may already be another process's, so `onLost` fires and the process stops
 * polling (main.ts stops the process, the orchestrator starts it again as a
 * follower).
 */
import type postgres from 'postgres';
import type { Logger } from '../logger.js';

/** Advisory lock (class, key) of the one poller. */
export const POLL_LOCK = [0x50_72_61_76, 1] as const; // "Prav", 1

export interface PollLeaderOptions {
  sql: postgres.Sql;
  logger: Logger;
  /** How often a follower tries the lock and the leader checks its connection. */
  checkMs?: number;
}

export interface PollLeader {
  /** Resolves once this process holds the lock (waits while another one does); rejects when aborted. */
  acquire(signal: AbortSignal): Promise<void>;
  /** Called once if the lock's connection is lost while this process holds it. */
  onLost(listener: () => void): void;
  readonly isLeader: boolean;
  /** Lets go of the lock (a graceful stop, after the last update is handled). */
  release(): Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export function createPollLeader({ sql, logger, checkMs = 2_000 }: PollLeaderOptions): PollLeader {
  let conn: postgres.ReservedSql | undefined;
  let watch: NodeJS.Timeout | undefined;
  let lost: () => void = () => {};

  function startWatch(held: postgres.ReservedSql) {
    watch = setInterval(() => {
      held`select 1`.catch(() => {
        clearInterval(watch);
        watch = undefined;
        if (conn !== held) return;
        conn = undefined;
        logger.error('poller lock connection lost: stopping polling');
        lost();
      });
    }, checkMs);
    watch.unref();
  }

  return {
    async acquire(signal) {
      let waiting = false;
      while (!signal.aborted) {
        let candidate: postgres.ReservedSql | undefined;
        try {
          candidate = await sql.reserve();
          const [row] = await candidate<{ got: boolean }[]>`select pg_try_advisory_lock(${POLL_LOCK[0]}, ${POLL_LOCK[1]}) as got`;
          if (row?.got) {
            conn = candidate;
            startWatch(candidate);
            logger.info('this process is the poller');
            return;
          }
          if (!waiting) logger.info('another process polls; waiting to take over');
          waiting = true;
        } catch (err) {
          logger.warn({ error: (err as Error)?.name }, 'poller lock not reachable; retrying');
        }
        candidate?.release();
        await sleep(checkMs, signal);
      }
      throw new Error('stopped before becoming the poller');
    },
    onLost(listener) {
      lost = listener;
    },
    get isLeader() {
      return conn !== undefined;
    },
    async release() {
      clearInterval(watch);
      const held = conn;
      conn = undefined;
      if (!held) return;
      await held`select pg_advisory_unlock(${POLL_LOCK[0]}, ${POLL_LOCK[1]})`.catch(() => {});
      held.release();
    },
  };
}
