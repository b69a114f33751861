/** Persistence of flow state: the run in progress and the outcomes reached. */
import { desc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { flowResults, flowRuns } from '../db/schema/index.js';
import type { ComputedDate, RunState } from '../flow-engine/types.js';

export type FlowResultRow = typeof flowResults.$inferSelect;

export function createFlowRunRepository(db: Database) {
  return {
    async findActive(userId: number): Promise<RunState | undefined> {
      const [row] = await db.select().from(flowRuns).where(eq(flowRuns.userId, userId)).limit(1);
      if (!row) return undefined;
      return {
        flowId: row.flowId,
        version: row.flowVersion,
        node: row.node,
        answers: row.answers,
        stack: row.stack,
      };
    },

    async save(userId: number, state: RunState, now: Date): Promise<void> {
      const values = {
        flowId: state.flowId,
        flowVersion: state.version,
        node: state.node,
        answers: state.answers,
        stack: state.stack,
        updatedAt: now,
      };
      await db
        .insert(flowRuns)
        .values({ userId, ...values, startedAt: now })
        .onConflictDoUpdate({ target: flowRuns.userId, set: values });
    },

    async clear(userId: number): Promise<void> {
      await db.delete(flowRuns).where(eq(flowRuns.userId, userId));
    },

    async recordResult(userId: number, state: RunState, outcome: string, dates: ComputedDate[], now: Date) {
      await db.insert(flowResults).values({
        userId,
        flowId: state.flowId,
        flowVersion: state.version,
        outcome,
        answers: state.answers,
        dates,
        createdAt: now,
      });
    },

    async listResults(userId: number, limit = 20): Promise<FlowResultRow[]> {
      return db
        .select()
        .from(flowResults)
        .where(eq(flowResults.userId, userId))
        .orderBy(desc(flowResults.createdAt))
        .limit(limit);
    },
  };
}

export type FlowRunRepository = ReturnType<typeof createFlowRunRepository>;
