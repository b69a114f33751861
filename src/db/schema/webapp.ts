/**
 * The web app's own tables (issue 19). A web visitor is a real user of the bot: the
 * bot sees a private chat whose id comes from `web_chat_id_seq`, which starts at
 * 2^52, above every Telegram user id (Telegram promises at most 52 significant
 * bits), so the two can never collide and one `users` table serves both. The rows
 * here are what Telegram would keep for a Telegram user: the "device" secrets, the
 * recovery code, and the chat's messages.
 */
import { bigint, bigserial, boolean, index, jsonb, pgSequence, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** First web chat id: 2^52 (see the file comment). */
export const WEB_CHAT_ID_START = 4_503_599_627_370_496;

export const webChatIdSeq = pgSequence('web_chat_id_seq', { startWith: WEB_CHAT_ID_START, minValue: WEB_CHAT_ID_START });
/** Orders every change to web messages, so a browser asks only for what changed since it last looked. */
export const webMessageRevSeq = pgSequence('web_message_rev_seq', { startWith: 1 });

/** One anonymous web visitor (all their devices). No name, no phone. */
export const webChats = pgTable(
  'web_chats',
  {
    chatId: bigint({ mode: 'number' }).primaryKey(),
    /** SHA-256 of the recovery code (normalised): shown once, typed on another device. */
    recoveryHash: text().notNull().unique(),
    /** The language the visitor picked in the app before the bot knew them. */
    language: text().notNull().default('ru'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Last request from any of the visitor's devices; idle expiry counts from here. */
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.lastSeenAt)],
);

/** A browser holding a session: the SHA-256 of its random secret, and its push subscription. */
export const webDevices = pgTable(
  'web_devices',
  {
    tokenHash: text().primaryKey(),
    chatId: bigint({ mode: 'number' })
      .notNull()
      .references(() => webChats.chatId, { onDelete: 'cascade' }),
    /** A PushSubscription (endpoint and keys) when the visitor allowed notifications. */
    push: jsonb().$type<{ endpoint: string; keys: { p256dh: string; auth: string } }>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.chatId)],
);

/** The chat as the visitor sees it; edits update the row, deletions leave a tombstone. */
export const webMessages = pgTable(
  'web_messages',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    chatId: bigint({ mode: 'number' })
      .notNull()
      .references(() => webChats.chatId, { onDelete: 'cascade' }),
    from: text().$type<'user' | 'bot'>().notNull(),
    /** Telegram HTML, checked like Telegram checks it. Empty once deleted. */
    html: text().notNull(),
    buttons: jsonb().$type<{ text: string; callback_data?: string; url?: string }[][]>().notNull().default([]),
    edited: boolean().notNull().default(false),
    deleted: boolean().notNull().default(false),
    rev: bigint({ mode: 'number' }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.chatId, t.rev), index().on(t.createdAt)],
);
