/**
 * Which shipped canned answers were put into `templates` once. A key here is never
 * seeded again, so the NGO's edits and deletions stay as they made them.
 */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const templateSeeds = pgTable('template_seeds', {
  key: text().primaryKey(),
  seededAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
