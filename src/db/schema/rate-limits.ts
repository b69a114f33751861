/**
 * Send rates shared by every process on one database: one row per limit (e.g. the
 * alerts' BROADCAST_RATE), holding the moment from which the next send may start.
 * A process takes a batch's worth of send slots by moving that moment forward in
 * one atomic statement, so the processes together keep to the rate.
 */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const rateLimits = pgTable('rate_limits', {
  name: text().primaryKey(),
  /** The earliest start of the next slot not yet given out (GCRA's "theoretical arrival time"). */
  nextAt: timestamp({ withTimezone: true }).notNull(),
});
