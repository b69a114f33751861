/**
 * A Telegram user of the bot. We keep the minimum: the language (needed before
 * consent to talk at all) and, after consent, when they agreed. The Telegram user id
 * is also the private chat's id, so no separate chat id is stored.
 */
import { bigint, boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: bigint({ mode: 'number' }).primaryKey(),
  language: text().notNull(),
  consentedAt: timestamp({ withTimezone: true }),
  /** Set when Telegram says the user blocked the bot (403); cleared when they come back. */
  blockedAt: timestamp({ withTimezone: true }),
  /** Optional, asked once, skippable: only for targeting alerts (ISO alpha-2). */
  citizenship: text(),
  /** `/stop_alerts`: no alerts at all until the user subscribes again. */
  alertsOff: boolean().notNull().default(false),
  /** Topics the user switched on or off explicitly; unset topics follow the flows walked. */
  topics: jsonb().$type<Record<string, boolean>>().notNull().default({}),
  /** "🔔 Remind me" on My situation: reminders follow the deadline rules over the user's facts. */
  remindDeadlines: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
