/**
 * The user's facts, read and changed from "What the bot knows" and "My situation"
 * (flows write theirs behind the run, see flow-run-repository). Every change waits for
 * the user's queued flow writes first, so a queued answer can never overwrite a change
 * or bring back a deleted fact; then it drops the user's cached state.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { userFacts, users } from '../db/schema/index.js';
import type { FlowRunRepository } from '../flow-runs/flow-run-repository.js';
import type { SituationModel } from './model.js';
import type { FactMap, FactRecord, FactValue } from './schema.js';

export interface FactServiceDeps {
  db: Database;
  runs: Pick<FlowRunRepository, 'settle' | 'findFacts'>;
  model: SituationModel;
  clock: () => Date;
  /** Drops the user's cached per-update state after a write. */
  invalidate: (userId: number) => void;
  /** Called after the facts changed (reminders follow the rules). */
  onChanged?: (userId: number) => Promise<void>;
}

/** A two-letter citizenship is also the alert audience's copy on the user row. */
const ISO_CITIZENSHIP = /^[a-z]{2}$/;

export function createFactService({ db, runs, model, clock, invalidate, onChanged }: FactServiceDeps) {
  async function changed(userId: number) {
    invalidate(userId);
    await onChanged?.(userId);
  }

  return {
    model,

    /** The user's facts as stored (queued flow answers included). */
    async list(userId: number): Promise<FactMap> {
      await runs.settle(userId);
      const rows = await db.select({ fact: userFacts.fact, value: userFacts.value }).from(userFacts).where(eq(userFacts.userId, userId));
      return Object.fromEntries(rows.map((r) => [r.fact, r.value]));
    },

    /** Sets one fact (the caller has validated the value against its definition). */
    async set(userId: number, fact: string, value: FactValue, source = 'user'): Promise<void> {
      if (!model.facts[fact]) throw new Error(`unknown fact "${fact}"`);
      await runs.settle(userId);
      const now = clock();
      await db.transaction(async (tx) => {
        await tx
          .insert(userFacts)
          .values({ userId, fact, value, source, updatedAt: now })
          .onConflictDoUpdate({ target: [userFacts.userId, userFacts.fact], set: { value, source, updatedAt: now } });
        if (fact === 'citizenship') {
          await tx.update(users).set({ citizenship: typeof value === 'string' && ISO_CITIZENSHIP.test(value) ? value : null, updatedAt: now }).where(eq(users.id, userId));
        }
      });
      await changed(userId);
    },

    /** Adds a record (a payment) to a `records` fact, keeping the others. */
    async addRecord(userId: number, fact: string, record: FactRecord, source = 'user'): Promise<FactRecord[]> {
      const def = model.facts[fact];
      if (def?.type !== 'records') throw new Error(`fact "${fact}" has no records`);
      const current = (await this.list(userId))[fact];
      const records = [...(Array.isArray(current) ? current : []), record].slice(-def.max_records);
      await this.set(userId, fact, records, source);
      return records;
    },

    async remove(userId: number, fact: string): Promise<boolean> {
      await runs.settle(userId);
      const rows = await db
        .delete(userFacts)
        .where(and(eq(userFacts.userId, userId), eq(userFacts.fact, fact)))
        .returning({ fact: userFacts.fact });
      await changed(userId);
      return rows.length > 0;
    },

    async removeAll(userId: number): Promise<number> {
      await runs.settle(userId);
      const rows = await db.delete(userFacts).where(eq(userFacts.userId, userId)).returning({ fact: userFacts.fact });
      await changed(userId);
      return rows.length;
    },
  };
}

export type FactService = ReturnType<typeof createFactService>;
