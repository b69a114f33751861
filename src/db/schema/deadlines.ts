/**
 * A user's saved legal dates and the reminders due before each. A saved date keeps
 * the flow answer it came from (flow, node, date id, answers), so "I paid two more
 * months" recomputes it with the flow's own rule instead of a copy of it in code.
 */
import { bigint, bigserial, boolean, date, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { AnswerValue } from '../../flow-engine/types.js';
import { users } from './users.js';

export const userDates = pgTable(
  'user_dates',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    userId: bigint({ mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /**
     * `flow` (a date from a flow answer), `document` (an expiry the user typed) or `rule`
     * (a deadline rule's advised day over the user's facts, kept in step with them; `dateId` is the rule).
     */
    kind: text().$type<'flow' | 'document' | 'rule'>().notNull(),
    flowId: text(),
    node: text(),
    dateId: text(),
    answers: jsonb().$type<Record<string, AnswerValue>>(),
    /** For documents: which one (a key under `dates.documents`). */
    document: text(),
    date: date({ mode: 'string' }).notNull(),
    provisional: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId, t.date)],
);

export const REMINDER_STATUSES = ['pending', 'sent', 'dropped', 'cancelled'] as const;

/**
 * Due jobs: one row per reminder, claimed with FOR UPDATE SKIP LOCKED. The unique
 * index makes scheduling idempotent; turning a job into an outbox message happens
 * in one transaction, so a reminder is queued exactly once.
 */
export const reminderJobs = pgTable(
  'reminder_jobs',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    userDateId: bigint({ mode: 'number' })
      .notNull()
      .references(() => userDates.id, { onDelete: 'cascade' }),
    userId: bigint({ mode: 'number' }).notNull(),
    /** Days before the date (7, 3, 1, 0), or -1 for "remind me tomorrow". */
    daysBefore: bigint({ mode: 'number' }).notNull(),
    /** The date this job reminds of (a job for an older cycle is cancelled when the date moves). */
    forDate: date({ mode: 'string' }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    status: text().$type<(typeof REMINDER_STATUSES)[number]>().notNull().default('pending'),
    leaseUntil: timestamp({ withTimezone: true }),
    note: text(),
    doneAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.status, t.dueAt), uniqueIndex().on(t.userDateId, t.forDate, t.daysBefore, t.dueAt)],
);
