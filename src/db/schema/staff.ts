/**
 * NGO staff accounts for the admin API. Tokens are shown once at creation and
 * stored only as SHA-256 hashes: a leaked database does not leak working tokens.
 */
import { bigserial, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const STAFF_ROLES = ['lawyer', 'staff', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const staff = pgTable(
  'staff',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    name: text().notNull(),
    role: text().$type<StaffRole>().notNull(),
    tokenHash: text().notNull(),
    /** Where notices and previews go for this person (their own Telegram chat), optional. */
    telegramChatId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex().on(t.tokenHash)],
);
