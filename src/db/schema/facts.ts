/**
 * The user's legal facts (the situation model): one row per fact, asked once and
 * reused by every flow and rule. Written only after consent (flows are behind the
 * consent gate; the facts screen too) and deleted with the user by /forget (cascade).
 */
import { bigint, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { FactValue } from '../../situation/schema.js';
import { users } from './users.js';

export const userFacts = pgTable(
  'user_facts',
  {
    userId: bigint({ mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** A fact id from `flows/facts.yaml`. */
    fact: text().notNull(),
    /** An option id, an ISO date, a date-time with offset, a number, or a list of records. */
    value: jsonb().$type<FactValue>().notNull(),
    /** Where the value came from: `flow:<id>`, `user` (the facts screen), `payment` ("✅ I paid"), `migration`. */
    source: text().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.fact] })],
);
