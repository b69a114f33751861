/**
 * Legislation alerts staff send to the migrants they concern, and one durable
 * delivery row per recipient. Deliveries are claimed with FOR UPDATE SKIP LOCKED
 * and a lease, so several processes share a broadcast and a killed process's
 * claims are taken over; a delivery taken over that way may have reached Telegram
 * already, so it is marked `reclaimed` and counted as a possible duplicate.
 */
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { staff } from './staff.js';
import { users } from './users.js';

export const ALERT_STATUSES = ['draft', 'approved', 'scheduled', 'sending', 'done', 'cancelled'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_TOPICS = ['patent', 'registration', 'status', 'general'] as const;

export interface AlertAudience {
  /** Everyone who agreed to the terms and did not turn alerts off. */
  everyone?: boolean;
  languages?: string[];
  /** Citizenships as users gave them (ISO alpha-2, lower case). */
  citizenships?: string[];
  topics?: (typeof ALERT_TOPICS)[number][];
}

export const alerts = pgTable('alerts', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  status: text().$type<AlertStatus>().notNull().default('draft'),
  /** Telegram HTML per language; Russian is required (the fallback). */
  texts: jsonb().$type<Record<string, string>>().notNull(),
  audience: jsonb().$type<AlertAudience>().notNull(),
  startAt: timestamp({ withTimezone: true }),
  createdBy: bigint({ mode: 'number' })
    .notNull()
    .references(() => staff.id),
  approvedBy: bigint({ mode: 'number' }).references(() => staff.id),
  correctionTexts: jsonb().$type<Record<string, string>>(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  approvedAt: timestamp({ withTimezone: true }),
  startedAt: timestamp({ withTimezone: true }),
  finishedAt: timestamp({ withTimezone: true }),
  cancelledAt: timestamp({ withTimezone: true }),
  correctedAt: timestamp({ withTimezone: true }),
});

export const DELIVERY_STATUSES = ['pending', 'sent', 'blocked', 'failed', 'cancelled'] as const;

export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    alertId: bigint({ mode: 'number' })
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    userId: bigint({ mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    chatId: bigint({ mode: 'number' }).notNull(),
    /** The language of the text sent (the user's, or Russian as the fallback). */
    language: text().notNull(),
    fallback: boolean().notNull().default(false),
    status: text().$type<(typeof DELIVERY_STATUSES)[number]>().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp({ withTimezone: true }),
    /** Taken over from a process whose lease ran out: it may have been sent already. */
    reclaimed: boolean().notNull().default(false),
    messageId: bigint({ mode: 'number' }),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    correction: text().$type<'pending' | 'sent' | 'failed'>(),
  },
  (t) => [index().on(t.alertId, t.status), index().on(t.status, t.nextAttemptAt), index().on(t.correction)],
);
