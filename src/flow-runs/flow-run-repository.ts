/** Persistence of flow state: the run in progress and the outcomes reached. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { cases, flowResults, flowRuns, pendingInputs, users } from '../db/schema/index.js';
import type { ComputedDate, RunState } from '../flow-engine/types.js';

export type FlowResultRow = typeof flowResults.$inferSelect;

type RunRow = typeof flowRuns.$inferSelect;

function toState(row: RunRow): RunState {
  return { flowId: row.flowId, version: row.flowVersion, node: row.node, answers: row.answers, stack: row.stack };
}

/**
 * Every update reads the user and their run and most write the run back, so these
 * two are prepared statements: one round trip each, no query building per update.
 */
export function createFlowRunRepository(db: Database) {
  // The user's newest case still being worked on: free text goes to its thread.
  const openCase = sql<number | null>`(select max(${cases.id}) from ${cases} where ${cases.userId} = ${users.id} and ${cases.status} in ('open', 'claimed'))`;
  const userAndRun = db
    .select({ user: users, run: flowRuns, pending: pendingInputs, openCaseId: openCase })
    .from(users)
    .leftJoin(flowRuns, eq(flowRuns.userId, users.id))
    .leftJoin(pendingInputs, eq(pendingInputs.userId, users.id))
    .where(eq(users.id, sql.placeholder('id')))
    .limit(1)
    .prepare('pravo_user_and_run');
  const upsertRun = db
    .insert(flowRuns)
    .values({
      userId: sql.placeholder('userId'),
      flowId: sql.placeholder('flowId'),
      flowVersion: sql.placeholder('version'),
      node: sql.placeholder('node'),
      answers: sql.placeholder('answers'),
      stack: sql.placeholder('stack'),
      startedAt: sql.placeholder('now'),
      updatedAt: sql.placeholder('now'),
    })
    .onConflictDoUpdate({
      target: flowRuns.userId,
      set: {
        flowId: sql`excluded.flow_id`,
        flowVersion: sql`excluded.flow_version`,
        node: sql`excluded.node`,
        answers: sql`excluded.answers`,
        stack: sql`excluded.stack`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .prepare('pravo_upsert_run');

  return {
    /** The user and their run in progress, in one query (undefined: no such user). */
    async findUserAndRun(userId: number) {
      const [row] = await userAndRun.execute({ id: userId });
      if (!row) return undefined;
      return {
        user: row.user,
        run: row.run ? toState(row.run) : undefined,
        pending: row.pending ?? undefined,
        openCaseId: row.openCaseId === null ? undefined : Number(row.openCaseId),
      };
    },

    async findActive(userId: number): Promise<RunState | undefined> {
      const [row] = await db.select().from(flowRuns).where(eq(flowRuns.userId, userId)).limit(1);
      return row ? toState(row) : undefined;
    },

    async save(userId: number, state: RunState, now: Date): Promise<void> {
      await upsertRun.execute({
        userId,
        flowId: state.flowId,
        version: state.version,
        node: state.node,
        answers: state.answers,
        stack: state.stack,
        now,
      });
    },

    async clear(userId: number): Promise<void> {
      await db.delete(flowRuns).where(eq(flowRuns.userId, userId));
    },

    async recordResult(userId: number, state: RunState, outcome: string, dates: ComputedDate[], now: Date) {
      // A citizenship answered in a flow also targets alerts, unless the user set one.
      const c = state.answers.citizenship;
      if (typeof c === 'string' && /^[a-z]{2}$/.test(c)) {
        await db.update(users).set({ citizenship: c }).where(and(eq(users.id, userId), isNull(users.citizenship)));
      }
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
