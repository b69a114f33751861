/**
 * Which bot process handled each chat last (cluster mode only; see
 * src/cluster/chat-turns.ts). A process that finds another one's name here drops
 * what it keeps in memory about the user before handling the update, because the
 * other process may have changed it. Rows are pruned after an hour (a missing row
 * only costs one database read) and deleted by /forget.
 */
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const chatTurns = pgTable(
  'chat_turns',
  {
    chatId: bigint({ mode: 'number' }).primaryKey(),
    /** The process (host, pid, start) that took the chat's last turn. */
    instance: text().notNull(),
    /** The process that took the turn before it (what the turn being taken needs to know). */
    previous: text(),
    /** When that turn was taken. */
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.at)],
);
