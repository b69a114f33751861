/**
 * Questions escalated to lawyers. A case keeps the context the lawyer needs
 * (flows walked, answers, computed dates, a Russian summary) so the migrant never
 * retells their story. When a user is forgotten or the retention period ends, the
 * personal parts are erased and the case stays, anonymised, for statistics.
 */
import type { SituationSnapshot } from '../../situation/snapshot.js';
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { IsoDate } from '../../lib/iso-date.js';
import { staff } from './staff.js';
import { users } from './users.js';

export const CASE_STATUSES = ['open', 'claimed', 'closed', 'withdrawn'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_PRIORITIES = ['urgent', 'normal'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

/** What a lawyer sees of the user's earlier answers. */
export interface CaseContext {
  flows: {
    flowId: string;
    outcome: string;
    answers: Record<string, string | number>;
    dates: { id: string; date: IsoDate; provisional: boolean }[];
    at: string;
  }[];
  /** The flow answer the user escalated from, if any. */
  from?: { flowId: string; node: string };
  /** The user's situation (facts, deadlines, statuses) when the case opened. */
  situation?: SituationSnapshot;
}

export const cases = pgTable(
  'cases',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    /** Null once anonymised. */
    userId: bigint({ mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    language: text().notNull(),
    topic: text().notNull(),
    priority: text().$type<CasePriority>().notNull(),
    status: text().$type<CaseStatus>().notNull().default('open'),
    assigneeId: bigint({ mode: 'number' }).references(() => staff.id),
    citizenship: text(),
    context: jsonb().$type<CaseContext>().notNull(),
    summaryRu: text().notNull(),
    /** The user's nearest legal deadline when the case was opened (queue order). */
    nearestDeadline: date({ mode: 'string' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    firstResponseAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    rating: integer(),
    ratingComment: text(),
    anonymisedAt: timestamp({ withTimezone: true }),
    /** The user has new messages the assignee has not opened yet. */
    unread: boolean().notNull().default(true),
  },
  (t) => [
    index().on(t.status, t.priority, t.nearestDeadline, t.createdAt),
    // The queue's order (urgent first, nearest deadline, oldest): the first page of open
    // cases reads 21 index entries instead of sorting the table. The expressions are
    // QUEUE_ORDER in lawyer-queue/case-service.ts, character for character.
    index('cases_queue_active_idx')
      .on(sql`(case when ${t.priority} = 'urgent' then 0 else 1 end)`, sql`coalesce(${t.nearestDeadline}, '9999-12-31'::date)`, t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'claimed')`),
    // The same order for other statuses and searches (filters applied while walking it).
    index('cases_queue_all_idx').on(
      sql`(case when ${t.priority} = 'urgent' then 0 else 1 end)`,
      sql`coalesce(${t.nearestDeadline}, '9999-12-31'::date)`,
      t.createdAt,
      t.id,
    ),
    index().on(t.userId),
    // Statistics: counts by status, topic and language and the median times come from this
    // index alone (an index-only scan), not from the table with its contexts and summaries.
    index('cases_stats_idx').on(t.status, t.topic, t.language, t.createdAt, t.firstResponseAt, t.closedAt, t.rating),
    index('cases_closed_idx').on(t.closedAt).where(sql`${t.anonymisedAt} is null`),
  ],
);

export const MESSAGE_AUTHORS = ['user', 'lawyer'] as const;

/** The thread: everything the user and the lawyers wrote, never edited or deleted (only anonymised). */
export const caseMessages = pgTable(
  'case_messages',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    caseId: bigint({ mode: 'number' })
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    author: text().$type<(typeof MESSAGE_AUTHORS)[number]>().notNull(),
    staffId: bigint({ mode: 'number' }).references(() => staff.id),
    text: text().notNull(),
    /** Telegram file ids of photos the user attached (never downloaded). */
    fileIds: jsonb().$type<string[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.caseId, t.id)],
);

export const caseNotes = pgTable(
  'case_notes',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    caseId: bigint({ mode: 'number' })
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    staffId: bigint({ mode: 'number' })
      .notNull()
      .references(() => staff.id),
    text: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.caseId)],
);

/** Canned answers, per language. */
export const templates = pgTable('templates', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  /** Shipped answers only: the same key in each language marks translations of one answer. */
  key: text(),
  language: text().notNull(),
  title: text().notNull(),
  text: text().notNull(),
  createdBy: bigint({ mode: 'number' }).references(() => staff.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A user's unfinished input to a lawyer: the question being written, or a rating comment. */
export const pendingInputs = pgTable('pending_inputs', {
  userId: bigint({ mode: 'number' })
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  kind: text().$type<'question' | 'comment' | 'edit-date' | 'document-date' | 'paid-months' | 'fact'>().notNull(),
  caseId: bigint({ mode: 'number' }).references(() => cases.id, { onDelete: 'cascade' }),
  /** The saved date being edited or paid (user_dates.id), for the date dialogues. */
  targetId: bigint({ mode: 'number' }),
  text: text(),
  fileIds: jsonb().$type<string[]>().notNull().default([]),
  from: jsonb().$type<CaseContext['from']>(),
  urgent: boolean().notNull().default(false),
  /** The fact being typed (`fact`), and for a record (a payment) the fields given so far. */
  fact: jsonb().$type<{ id: string; record?: Record<string, string | number> }>(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
