/**
 * A Telegram user of the bot. We keep the minimum: the language (needed before
 * consent to talk at all) and, after consent, when they agreed. The Telegram user id
 * is also the private chat's id, so no separate chat id is stored.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
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
    /**
     * The ids of the flows this user has a result of: the alert audience's "walked one of the
     * topic's flows" as a column (`walked_flows && array[...]`), not a subquery over
     * `flow_results`. Kept by a trigger on `flow_results` (migration 0010_queue_and_audience_indexes), so every
     * path that writes a result keeps it; flow ids, not topics, because a flow's topic is content
     * and may change.
     */
    walkedFlows: text().array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('users_walked_flows_idx').using('gin', t.walkedFlows), index('users_topics_idx').using('gin', t.topics.op('jsonb_path_ops'))],
);
