/**
 * Durable outgoing messages. Anything that must reach a chat even if Telegram
 * fails or the process restarts (a lawyer's answer, a notice to the lawyers' chat)
 * is written here first, in the same transaction as its cause, then delivered by
 * the sender with retries. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease.
 */
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { caseMessages } from './cases.js';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'blocked'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    /** Telegram chat id (a user's, or the lawyers' group). Text, since group ids exceed 2^53 only in theory. */
    chatId: text().notNull(),
    kind: text().notNull(),
    /** The Bot API method and payload, minus chat_id. */
    method: text().notNull().default('sendMessage'),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    caseMessageId: bigint({ mode: 'number' }).references(() => caseMessages.id, { onDelete: 'cascade' }),
    /** The case a notice to the lawyers' chat is about, so /forget can find and edit it. */
    caseId: bigint({ mode: 'number' }),
    status: text().$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    telegramMessageId: bigint({ mode: 'number' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.status, t.nextAttemptAt), index().on(t.caseMessageId), index().on(t.caseId)],
);
