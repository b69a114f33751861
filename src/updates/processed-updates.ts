/**
 * The record of updates already handled (see the `processed_updates` table): a
 * repeat of one is dropped by the update guard before any feature sees it.
 */
import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { processedUpdates } from '../db/schema/index.js';

/**
 * How long an update id is remembered. Telegram keeps an undelivered update for
 * at most 24 hours, so a redelivery cannot come later than that; twice for margin.
 */
export const UPDATE_RETENTION_MS = 48 * 60 * 60 * 1000;

/** The source of Telegram's own updates (webhook and polling share one numbering). */
export const TELEGRAM_SOURCE = 'telegram';

export interface ProcessedUpdates {
  /** Was this update handled already? */
  seen(source: string, updateId: number): Promise<boolean>;
  /** Records it as handled (a second record of the same update is harmless). */
  mark(source: string, updateId: number, at: Date): Promise<void>;
  /** Forgets ids older than the retention window; returns how many. */
  prune(now: Date, retentionMs?: number): Promise<number>;
}

export function createProcessedUpdates(db: Database): ProcessedUpdates {
  return {
    async seen(source, updateId) {
      const [row] = await db
        .select({ id: processedUpdates.updateId })
        .from(processedUpdates)
        .where(and(eq(processedUpdates.source, source), eq(processedUpdates.updateId, updateId)))
        .limit(1);
      return row !== undefined;
    },
    async mark(source, updateId, at) {
      await db.insert(processedUpdates).values({ source, updateId, handledAt: at }).onConflictDoNothing();
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
