/**
 * The record of updates already handled (see the `processed_updates` table): a
 * repeat of one is dropped by the update guard before any feature sees it.
 *
 * Kept off the hot path: ids this process handled are remembered in memory, and
 * Telegram's ids only grow, so an id above the highest one recorded when the
 * process started cannot be a repeat of an earlier process's update; only ids at
 * or below it are looked up. Records are written behind, many in one statement,
 * and a graceful stop writes what is queued. A crash can lose the last records,
 * so an update handled in the moment before it may be handled again after a
 * restart if Telegram delivers it again: handled twice, never lost.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { processedUpdates } from '../db/schema/index.js';
import type { Logger } from '../logger.js';

/**
 * How long an update id is remembered. Telegram keeps an undelivered update for
 * at most 24 hours, so a redelivery cannot come later than that; twice for margin.
 */
export const UPDATE_RETENTION_MS = 48 * 60 * 60 * 1000;

/** The source of Telegram's own updates (webhook and polling share one numbering). */
export const TELEGRAM_SOURCE = 'telegram';

/** Ids remembered in memory (the oldest are forgotten first; the table still has them). */
const MEMORY_SIZE = 100_000;
/** Records queued at most while the database refuses them (beyond that, the oldest go). */
const MAX_QUEUED = 100_000;
/** Wait before writing again after a failed write. */
const RETRY_MS = 1_000;

export interface ProcessedUpdates {
  /** Was this update handled already? */
  seen(source: string, updateId: number): Promise<boolean>;
  /** Records it as handled (a second record of the same update is harmless). */
  mark(source: string, updateId: number, at: Date): void;
  /** Writes the queued records (a graceful stop). */
  drain(): Promise<void>;
  /** Forgets ids older than the retention window; returns how many. */
  prune(now: Date, retentionMs?: number): Promise<number>;
}

export function createProcessedUpdates(db: Database, logger?: Logger): ProcessedUpdates {
  const recent = new Set<string>();
  const highest = new Map<string, Promise<number>>();
  let queue: { source: string; updateId: number; handledAt: Date }[] = [];
  let writing: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const remember = (key: string) => {
    recent.add(key);
    if (recent.size > MEMORY_SIZE) recent.delete(recent.values().next().value!);
  };

  /** The highest id recorded for the source when this process first asked (cached; a failure is not). */
  const highestRecorded = (source: string) => {
    let p = highest.get(source);
    if (!p) {
      p = db
        .select({ max: sql<string | null>`max(${processedUpdates.updateId})` })
        .from(processedUpdates)
        .where(eq(processedUpdates.source, source))
        .then(([r]) => (r?.max === null || r?.max === undefined ? -1 : Number(r.max)));
      highest.set(source, p);
      p.catch(() => highest.delete(source));
    }
    return p;
  };

  async function write(): Promise<void> {
    while (queue.length) {
      const batch = queue;
      queue = [];
      try {
        // One statement whatever the batch holds (rows travel as JSON in one parameter), so it
        // stays prepared: a batch of varying size as separate parameters is a new statement each time.
        await db.execute(sql`
          insert into processed_updates (source, update_id, handled_at)
          select r.source, r.update_id, r.handled_at
          from jsonb_to_recordset(${JSON.stringify(batch.map((u) => ({ source: u.source, update_id: u.updateId, handled_at: u.handledAt })))}::jsonb)
            as r(source text, update_id bigint, handled_at timestamptz)
          on conflict do nothing`);
      } catch (err) {
        queue = [...batch, ...queue].slice(-MAX_QUEUED);
        logger?.warn({ queued: queue.length, error: (err as Error).name }, 'processed-update records not written; retrying');
        retryTimer ??= setTimeout(() => {
          retryTimer = undefined;
          schedule();
        }, RETRY_MS).unref();
        throw err;
      }
    }
  }
  function schedule() {
    if (writing) return;
    writing = write()
      .catch(() => {})
      .finally(() => {
        writing = undefined;
        if (queue.length && !retryTimer) schedule();
      });
  }

  return {
    async seen(source, updateId) {
      if (recent.has(`${source}:${updateId}`)) return true;
      if (updateId > (await highestRecorded(source))) return false;
      const [row] = await db
        .select({ id: processedUpdates.updateId })
        .from(processedUpdates)
        .where(and(eq(processedUpdates.source, source), eq(processedUpdates.updateId, updateId)))
        .limit(1);
      return row !== undefined;
    },
    mark(source, updateId, at) {
      remember(`${source}:${updateId}`);
      queue.push({ source, updateId, handledAt: at });
      schedule();
    },
    async drain() {
      clearTimeout(retryTimer);
      retryTimer = undefined;
      await writing;
      if (queue.length) await write();
    },
    async prune(now, retentionMs = UPDATE_RETENTION_MS) {
      const rows = await db
        .delete(processedUpdates)
        .where(lt(processedUpdates.handledAt, new Date(now.getTime() - retentionMs)))
        .returning({ id: processedUpdates.updateId });
      return rows.length;
    },
  };
}
