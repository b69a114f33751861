/**
 * Flow state, per user. `flow_runs` holds the one run in progress (so a restart
 * resumes at the same step); `flow_results` keeps each outcome reached, which is the
 * context a lawyer sees when the user asks for help. Both go with /forget.
 */
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { AnswerValue, ComputedDate } from '../../flow-engine/types.js';
import { users } from './users.js';

export const flowRuns = pgTable('flow_runs', {
  userId: bigint({ mode: 'number' })
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  flowId: text().notNull(),
  flowVersion: integer().notNull(),
  node: text().notNull(),
  answers: jsonb().$type<Record<string, AnswerValue>>().notNull(),
  stack: jsonb().$type<string[]>().notNull(),
  startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const flowResults = pgTable(
  'flow_results',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    userId: bigint({ mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    flowId: text().notNull(),
    flowVersion: integer().notNull(),
    outcome: text().notNull(),
    answers: jsonb().$type<Record<string, AnswerValue>>().notNull(),
    dates: jsonb().$type<ComputedDate[]>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.userId, t.createdAt),
    // Alert audiences by topic: who walked one of a topic's flows, read from the index alone.
    index('flow_results_flow_user_idx').on(t.flowId, t.userId),
  ],
);
