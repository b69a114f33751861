/**
 * Users: language, consent, alert settings, blocked. Each write tells the user-state
 * cache, which keeps the user's row between updates.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { users } from '../db/schema/index.js';

export type UserRow = typeof users.$inferSelect;

export function createUserRepository(db: Database, cache: { invalidate(userId: number): void }) {
  return {
    async find(id: number): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return row;
    },

    /** Stores the language; the only thing kept before consent. */
    async setLanguage(id: number, language: string, now: Date): Promise<void> {
      await db
        .insert(users)
        .values({ id, language, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: users.id, set: { language, updatedAt: now } });
      cache.invalidate(id);
    },

    async setConsent(id: number, now: Date): Promise<void> {
      await db.update(users).set({ consentedAt: now, updatedAt: now }).where(eq(users.id, id));
      cache.invalidate(id);
    },

    /** Marks a user who blocked the bot, so nothing more is sent until they come back. */
    async setBlocked(id: number, blocked: boolean, now: Date): Promise<void> {
      await db
        .update(users)
        .set({ blockedAt: blocked ? now : null, updatedAt: now })
        .where(eq(users.id, id));
      cache.invalidate(id);
    },

    /** Alert settings: topics switched explicitly, citizenship, all alerts off. */
    async setAlerts(id: number, patch: { topics?: Record<string, boolean>; citizenship?: string | null; alertsOff?: boolean }, now: Date): Promise<void> {
      await db.update(users).set({ ...patch, updatedAt: now }).where(eq(users.id, id));
      cache.invalidate(id);
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
