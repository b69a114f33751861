/**
 * Machine translations of a case's thread, so a lawyer who reads only Russian can
 * answer every migrant. A migrant's message gets its Russian translation; a
 * lawyer's answer keeps the text sent in the migrant's language (as the machine
 * made it, or as the lawyer corrected it), or the reason it went in Russian only.
 * Personal data: erased with the case by /forget and by retention.
 */
import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { caseMessages } from './cases.js';

export const TRANSLATION_STATUSES = ['machine', 'edited', 'failed'] as const;
export type TranslationStatus = (typeof TRANSLATION_STATUSES)[number];

export const messageTranslations = pgTable('message_translations', {
  messageId: bigint({ mode: 'number' })
    .primaryKey()
    .references(() => caseMessages.id, { onDelete: 'cascade' }),
  /** The language of `text`: ru for a migrant's message, theirs for a lawyer's answer. */
  language: text().notNull(),
  /** Null when the translation failed. */
  text: text(),
  status: text().$type<TranslationStatus>().notNull(),
  /** Which provider made it ("libretranslate", "yandex"). */
  provider: text().notNull(),
  /** Why it failed (provider and HTTP status or timeout; never the text). */
  error: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
