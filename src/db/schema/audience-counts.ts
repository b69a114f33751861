/**
 * How many users each alert audience reaches, kept as counts per group of users who look the
 * same to an audience (language, citizenship, topic choices, flows walked), so counting an
 * audience reads a few hundred rows, not every user (issue 18: under 50 ms at any size).
 *
 * Append-only: a trigger on `users` (migration 0011_audience_counts) adds a row of +1 for a
 * user who enters a group and −1 for one who leaves it, so writes never wait on each other for
 * a counter. The alert service (broadcasts/alert-service.ts, `foldAudienceCounts`) folds the rows into one per
 * group now and then; the sum per group is the same before and after. Only users an alert can
 * reach are counted (consented, not blocked, alerts on). No user id is stored.
 */
import { integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

export const audienceCounts = pgTable('audience_counts', {
  language: text().notNull(),
  /** '' for a user who did not give it (no audience asks for ''). */
  citizenship: text().notNull(),
  topics: jsonb().$type<Record<string, boolean>>().notNull(),
  walkedFlows: text().array().notNull(),
  /** +1 or −1 as written by the trigger; any sum once compacted. */
  users: integer().notNull(),
});
