/**
 * Anonymous web sessions. A visitor is known only by a random secret their browser
 * keeps (an HttpOnly cookie); the database stores its SHA-256, never the secret.
 * A short recovery code, shown to the visitor, opens the same chat on another
 * device. Nothing else identifies them: no phone, no name.
 *
 * Idle sessions expire, and their data goes with them as with /forget. The idle
 * time counts from the last of: the last request, the last closed case, the last
 * reminder; a visitor with an open case or a reminder still to come never expires.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { cases, reminderJobs, webChats, webDevices } from '../db/schema/index.js';

/** Crockford's base32 without I, L, O, U: nothing to confuse when read aloud or copied by hand. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters × 5 bits = 60 bits: beyond guessing under the per-address limits. */
const CODE_LENGTH = 12;
/** A device's last-seen time is written at most this often (every request would be a write). */
const TOUCH_EVERY_MS = 60_000;
const MS_PER_DAY = 86_400_000;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** The recovery code as typed: case, spaces, dashes and look-alikes do not matter. */
export function normaliseRecoveryCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[OIL]/g, (c) => (c === 'O' ? '0' : '1'));
}

function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

export interface WebSession {
  chatId: number;
  tokenHash: string;
  language: string;
}

export interface WebSessionDeps {
  db: Database;
  clock: () => Date;
  /** Deletes everything the bot holds about a user (the case service's forgetUser). */
  forgetUser: (userId: number) => Promise<unknown>;
}

export function createWebSessions({ db, clock, forgetUser }: WebSessionDeps) {
  async function addDevice(chatId: number, now: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await db.insert(webDevices).values({ tokenHash: sha256(token), chatId, createdAt: now, lastSeenAt: now });
    return token;
  }

  return {
    /** A new visitor: a chat id from the web range, a device secret, a recovery code (shown once). */
    async create(language: string): Promise<{ chatId: number; token: string; recoveryCode: string }> {
      const now = clock();
      const recoveryCode = newRecoveryCode();
      const [chat] = await db
        .insert(webChats)
        .values({ chatId: sql`nextval('web_chat_id_seq')`, recoveryHash: sha256(normaliseRecoveryCode(recoveryCode)), language, createdAt: now, lastSeenAt: now })
        .returning({ chatId: webChats.chatId });
      const token = await addDevice(chat!.chatId, now);
      return { chatId: chat!.chatId, token, recoveryCode };
    },

    /** The session of a device secret, or undefined; notes that the visitor was here. */
    async authenticate(token: string | undefined): Promise<WebSession | undefined> {
      if (!token || token.length > 100) return undefined;
      const tokenHash = sha256(token);
      const [row] = await db
        .select({ chatId: webDevices.chatId, language: webChats.language, lastSeenAt: webDevices.lastSeenAt })
        .from(webDevices)
        .innerJoin(webChats, eq(webChats.chatId, webDevices.chatId))
        .where(eq(webDevices.tokenHash, tokenHash))
        .limit(1);
      if (!row) return undefined;
      const now = clock();
      if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await db.update(webDevices).set({ lastSeenAt: now }).where(eq(webDevices.tokenHash, tokenHash));
        await db.update(webChats).set({ lastSeenAt: now }).where(eq(webChats.chatId, row.chatId));
      }
      return { chatId: row.chatId, tokenHash, language: row.language };
    },

    /** A new device secret for the chat of this recovery code, or undefined. */
    async recover(code: string): Promise<{ chatId: number; token: string } | undefined> {
      const normalised = normaliseRecoveryCode(code);
      if (normalised.length !== CODE_LENGTH) return undefined;
      const [chat] = await db.select({ chatId: webChats.chatId }).from(webChats).where(eq(webChats.recoveryHash, sha256(normalised))).limit(1);
      if (!chat) return undefined;
      const now = clock();
      await db.update(webChats).set({ lastSeenAt: now }).where(eq(webChats.chatId, chat.chatId));
      return { chatId: chat.chatId, token: await addDevice(chat.chatId, now) };
    },

    async setLanguage(chatId: number, language: string): Promise<void> {
      await db.update(webChats).set({ language }).where(eq(webChats.chatId, chatId));
    },

    /** This device forgets the session (the chat stays for the others and the recovery code). */
    async signOut(tokenHash: string): Promise<void> {
      await db.delete(webDevices).where(eq(webDevices.tokenHash, tokenHash));
    },

    async setPush(tokenHash: string, push: { endpoint: string; keys: { p256dh: string; auth: string } } | null): Promise<void> {
      await db.update(webDevices).set({ push }).where(eq(webDevices.tokenHash, tokenHash));
    },

    /** The push subscriptions of a chat's devices. */
    async pushTargets(chatId: number) {
      const rows = await db.select({ tokenHash: webDevices.tokenHash, push: webDevices.push }).from(webDevices).where(eq(webDevices.chatId, chatId));
      return rows.filter((r) => r.push) as { tokenHash: string; push: NonNullable<(typeof rows)[number]['push']> }[];
    },

    /** Deletes the chat, its devices and messages, and everything the bot holds about the user. */
    async forget(chatId: number): Promise<void> {
      await forgetUser(chatId);
      await db.delete(webChats).where(eq(webChats.chatId, chatId));
    },

    /**
     * Forgets every visitor idle for `idleDays`: no request, no case closed and no
     * reminder due in that time, and no case still open. Returns how many.
     */
    async expireIdle(idleDays: number): Promise<number> {
      const cutoff = new Date(clock().getTime() - idleDays * MS_PER_DAY);
      const cutoffIso = cutoff.toISOString();
      const due = await db
        .select({ chatId: webChats.chatId })
        .from(webChats)
        .where(
          and(
            lt(webChats.lastSeenAt, cutoff),
            sql`not exists (select 1 from ${cases} where ${cases.userId} = ${webChats.chatId}
              and (${inArray(cases.status, ['open', 'claimed'])} or ${cases.closedAt} >= ${cutoffIso}::timestamptz))`,
            sql`not exists (select 1 from ${reminderJobs} where ${reminderJobs.userId} = ${webChats.chatId}
              and ${reminderJobs.status} in ('pending', 'sent') and ${reminderJobs.dueAt} >= ${cutoffIso}::timestamptz)`,
          ),
        )
        .limit(500);
      for (const { chatId } of due) await this.forget(chatId);
      return due.length;
    },
  };
}

export type WebSessions = ReturnType<typeof createWebSessions>;
