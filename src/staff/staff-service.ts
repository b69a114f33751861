/**
 * Staff accounts and their bearer tokens. A token is 32 random bytes shown once;
 * only its SHA-256 is stored, so neither a database dump nor a log can be replayed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { type StaffRole, staff } from '../db/schema/index.js';

export type StaffRow = typeof staff.$inferSelect;
export type StaffMember = Pick<StaffRow, 'id' | 'name' | 'role'>;
/** Who is acting, for the services' permission checks. */
export type Actor = Pick<StaffMember, 'id' | 'role'>;

/** Prefix so a leaked token is recognisable (secret scanners, humans). */
const TOKEN_PREFIX = 'pravo_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * How long a token found to be unknown or revoked is answered from memory: a
 * client retrying with a wrong token costs no database lookup. Short, and only
 * negative answers are kept, so a revocation still takes effect at once.
 */
export const NEGATIVE_TOKEN_CACHE_MS = 30_000;
/** Entries kept at most (the cache is cleared when full). */
const NEGATIVE_CACHE_SIZE = 10_000;
/**
 * How long a token found valid is answered from memory: the console's every request
 * otherwise costs a second database round trip (a third of the queue listing's time). A
 * revocation made by this process drops the token at once; one made by another process
 * (`npm run staff`, another bot process) takes effect within this time.
 */
export const TOKEN_CACHE_MS = 5_000;
const TOKEN_CACHE_SIZE = 1_000;

export function createStaffService({ db, clock }: { db: Database; clock: () => Date }) {
  /** Token hash → when the negative answer expires (ms, real time). */
  const unknown = new Map<string, number>();
  /** Token hash → the account and when the positive answer expires (ms, real time). */
  const known = new Map<string, { member: StaffMember; until: number }>();
  return {
    /** Creates an account and returns its token (the only time it is visible). */
    async add(name: string, role: StaffRole): Promise<{ member: StaffMember; token: string }> {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const [row] = await db
        .insert(staff)
        .values({ name, role, tokenHash: hashToken(token), createdAt: clock() })
        .returning({ id: staff.id, name: staff.name, role: staff.role });
      return { member: row!, token };
    },

    /** Where previews and notices for this person go (their own Telegram chat id). */
    async setTelegramChat(id: number, chatId: string | null): Promise<boolean> {
      const rows = await db.update(staff).set({ telegramChatId: chatId }).where(eq(staff.id, id)).returning({ id: staff.id });
      return rows.length > 0;
    },

    /** The Telegram chat an account's previews go to, if set. */
    async telegramChatOf(id: number): Promise<string | undefined> {
      const [row] = await db.select({ chat: staff.telegramChatId }).from(staff).where(eq(staff.id, id)).limit(1);
      return row?.chat ?? undefined;
    },

    async list(): Promise<StaffRow[]> {
      return db.select().from(staff).orderBy(asc(staff.id));
    },

    async revoke(id: number): Promise<boolean> {
      const rows = await db
        .update(staff)
        .set({ revokedAt: clock() })
        .where(and(eq(staff.id, id), isNull(staff.revokedAt)))
        .returning({ id: staff.id });
      for (const [hash, entry] of known) if (entry.member.id === id) known.delete(hash);
      return rows.length > 0;
    },

    /** The active account a token belongs to, or undefined (unknown or revoked). */
    async authenticate(token: string): Promise<StaffMember | undefined> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
      const hash = hashToken(token);
      const now = Date.now();
      const until = unknown.get(hash);
      if (until !== undefined && until > now) return undefined;
      const hit = known.get(hash);
      if (hit && hit.until > now) return hit.member;
      const [row] = await db
        .select({ id: staff.id, name: staff.name, role: staff.role, revokedAt: staff.revokedAt })
        .from(staff)
        .where(eq(staff.tokenHash, hash))
        .limit(1);
      if (!row || row.revokedAt) {
        known.delete(hash);
        if (unknown.size >= NEGATIVE_CACHE_SIZE) unknown.clear();
        unknown.set(hash, Date.now() + NEGATIVE_TOKEN_CACHE_MS);
        return undefined;
      }
      unknown.delete(hash);
      const member = { id: row.id, name: row.name, role: row.role };
      if (known.size >= TOKEN_CACHE_SIZE) known.clear();
      known.set(hash, { member, until: now + TOKEN_CACHE_MS });
      return member;
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
