/**
 * What a user is in the middle of writing to a lawyer (a question, or a comment on
 * a rating). Kept in the database, not in memory, so a restart loses nothing the
 * user typed. Each write tells the user-state cache, which keeps it between updates.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { pendingInputs } from '../db/schema/index.js';

export type PendingInput = typeof pendingInputs.$inferSelect;

export function createPendingInputRepository(db: Database, cache: { invalidate(userId: number): void }) {
  return {
    async find(userId: number): Promise<PendingInput | undefined> {
      const [row] = await db.select().from(pendingInputs).where(eq(pendingInputs.userId, userId)).limit(1);
      return row;
    },
    async set(userId: number, input: Pick<PendingInput, 'kind'> & Partial<Omit<PendingInput, 'userId' | 'updatedAt'>>, now: Date): Promise<void> {
      const value = { caseId: null, targetId: null, text: null, fileIds: [], from: null, urgent: false, ...input };
      await db
        .insert(pendingInputs)
        .values({ userId, ...value, updatedAt: now })
        .onConflictDoUpdate({ target: pendingInputs.userId, set: { ...value, updatedAt: now } });
      cache.invalidate(userId);
    },
    async clear(userId: number): Promise<void> {
      await db.delete(pendingInputs).where(eq(pendingInputs.userId, userId));
      cache.invalidate(userId);
    },
  };
}

export type PendingInputRepository = ReturnType<typeof createPendingInputRepository>;
