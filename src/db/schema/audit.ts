/** Who read or changed what, and when: every admin-API access to a case is recorded. */
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { staff } from './staff.js';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    staffId: bigint({ mode: 'number' }).references(() => staff.id),
    action: text().notNull(),
    caseId: bigint({ mode: 'number' }),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.caseId), index().on(t.at)],
);
