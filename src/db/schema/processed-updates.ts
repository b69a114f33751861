/**
 * Updates already handled, so a redelivered one (Telegram resends a webhook update
 * whose answer was slow; polling refetches what was not confirmed) is dropped.
 * Keyed by source and update id: local mode numbers its updates afresh at each
 * start, and other channels may come. Rows older than the retention window are
 * pruned (Telegram keeps an undelivered update for at most 24 hours).
 */
import { bigint, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const processedUpdates = pgTable(
  'processed_updates',
  {
    /** `telegram`, or `local:<start id>` for local mode's per-start numbering. */
    source: text().notNull(),
    updateId: bigint({ mode: 'number' }).notNull(),
    handledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.updateId] }), index().on(t.handledAt)],
);
