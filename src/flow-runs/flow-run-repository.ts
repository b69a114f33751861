/**
 * Persistence of flow state: the run in progress and the outcomes reached.
 *
 * The hot path of every update is here: reading the user with their run, and
 * saving the run after a step. Reads come from the user-state cache when it has the
 * user; saves update that cache at once and reach the database through the
 * write-behind queue (see run-write-behind.ts for what that guarantees). Reads of
 * the run add what is still queued; reads of outcomes wait for it. Either way a
 * caller sees what it saved.
 */
import { desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { cases, flowResults, flowRuns, pendingInputs, userFacts, users } from '../db/schema/index.js';
import type { FactMap, FactValue } from '../situation/schema.js';
import type { ComputedDate, RunState } from '../flow-engine/types.js';
import type { Logger } from '../logger.js';
import type { UserState, UserStateCache } from '../users/user-state-cache.js';
import { createRunWriteBehind, type UserWrites } from './run-write-behind.js';

export type FlowResultRow = typeof flowResults.$inferSelect;

type RunRow = typeof flowRuns.$inferSelect;

function toState(row: RunRow): RunState {
  return { flowId: row.flowId, version: row.flowVersion, node: row.node, answers: row.answers, stack: row.stack };
}

/** A two-letter citizenship answered in a flow also targets alerts, unless the user set one. */
function citizenshipAnswer(state: RunState): string | undefined {
  const c = state.answers.citizenship;
  return typeof c === 'string' && /^[a-z]{2}$/.test(c) ? c : undefined;
}

export interface FlowRunRepositoryDeps {
  db: Database;
  /**
   * Where the queued writes go, if not `db`: cluster mode gives a connection that
   * commits without waiting for the disk, because there every update waits for its
   * writes before the chat's lock is released (src/cluster/chat-turns.ts).
   */
  writeDb?: Database;
  cache: UserStateCache;
  logger: Logger;
}

export function createFlowRunRepository({ db, writeDb = db, cache, logger }: FlowRunRepositoryDeps) {
  // The user's newest case still being worked on: free text goes to its thread.
  const openCase = sql<number | null>`(select max(${cases.id}) from ${cases} where ${cases.userId} = ${users.id} and ${cases.status} in ('open', 'claimed'))`;
  // The user's facts travel with the per-update read: every flow step may need them.
  const factsOf = sql<FactMap | null>`(select jsonb_object_agg(${userFacts.fact}, ${userFacts.value}) from ${userFacts} where ${userFacts.userId} = ${users.id})`;
  const userAndRun = db
    .select({ user: users, run: flowRuns, pending: pendingInputs, openCaseId: openCase, facts: factsOf })
    .from(users)
    .leftJoin(flowRuns, eq(flowRuns.userId, users.id))
    .leftJoin(pendingInputs, eq(pendingInputs.userId, users.id))
    .where(eq(users.id, sql.placeholder('id')))
    .limit(1)
    .prepare('pravo_user_and_run');

  /**
   * One batch of queued writes as one statement, so a batch costs one round trip
   * whatever it holds. Rows travel as JSON, so there are only a few statement texts
   * (which parts a batch needs) and each stays prepared.
   */
  async function writeBatch(batch: Map<number, UserWrites>) {
    const saves = [];
    const clears: number[] = [];
    const outcomes = [];
    const citizenships = [];
    const facts = [];
    for (const [userId, w] of batch) {
      for (const [fact, f] of Object.entries(w.facts ?? {})) {
        facts.push({ user_id: userId, fact, value: f.value, source: f.source, at: f.now });
        if (fact === 'citizenship' && typeof f.value === 'string' && /^[a-z]{2}$/.test(f.value)) citizenships.push({ id: userId, c: f.value, fact: true });
      }
      if (w.run) {
        const { state, now } = w.run;
        saves.push({ user_id: userId, flow_id: state.flowId, flow_version: state.version, node: state.node, answers: state.answers, stack: state.stack, at: now });
      } else if (w.run === null) clears.push(userId);
      for (const o of w.outcomes) {
        outcomes.push({ user_id: userId, flow_id: o.state.flowId, flow_version: o.state.version, outcome: o.outcome, answers: o.state.answers, dates: o.dates, at: o.now });
        const c = citizenshipAnswer(o.state);
        if (c) citizenships.push({ id: userId, c });
      }
    }
    const parts: SQL[] = [];
    if (saves.length) {
      parts.push(sql`
        insert into flow_runs (user_id, flow_id, flow_version, node, answers, stack, started_at, updated_at)
        select r.user_id, r.flow_id, r.flow_version, r.node, r.answers, r.stack, r.at, r.at
        from jsonb_to_recordset(${JSON.stringify(saves)}::jsonb)
          as r(user_id bigint, flow_id text, flow_version integer, node text, answers jsonb, stack jsonb, at timestamptz)
        on conflict (user_id) do update set
          flow_id = excluded.flow_id, flow_version = excluded.flow_version, node = excluded.node,
          answers = excluded.answers, stack = excluded.stack, updated_at = excluded.updated_at`);
    }
    if (clears.length) {
      parts.push(sql`
        delete from flow_runs
        where user_id in (select value::bigint from jsonb_array_elements_text(${JSON.stringify(clears)}::jsonb))`);
    }
    if (outcomes.length) {
      parts.push(sql`
        insert into flow_results (user_id, flow_id, flow_version, outcome, answers, dates, created_at)
        select r.user_id, r.flow_id, r.flow_version, r.outcome, r.answers, r.dates, r.at
        from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
          as r(user_id bigint, flow_id text, flow_version integer, outcome text, answers jsonb, dates jsonb, at timestamptz)`);
    }
    if (facts.length) {
      parts.push(sql`
        insert into user_facts (user_id, fact, value, source, updated_at)
        select r.user_id, r.fact, r.value, r.source, r.at
        from jsonb_to_recordset(${JSON.stringify(facts)}::jsonb)
          as r(user_id bigint, fact text, value jsonb, source text, at timestamptz)
        on conflict (user_id, fact) do update set value = excluded.value, source = excluded.source, updated_at = excluded.updated_at`);
    }
    if (citizenships.length) {
      // The citizenship fact is the truth; users.citizenship is the alert audience's copy of it.
      // An answer in a flow without a fact binding only fills an empty one.
      parts.push(sql`
        update users set citizenship = r.c
        from jsonb_to_recordset(${JSON.stringify(citizenships)}::jsonb) as r(id bigint, c text, fact boolean)
        where users.id = r.id and (r.fact is true or users.citizenship is null)`);
    }
    if (parts.length === 1) await writeDb.execute(parts[0]!);
    else if (parts.length > 1) {
      // Data-modifying CTEs run together and commit together: one round trip.
      const ctes = sql.join(
        parts.map((p, i) => sql`${sql.raw(`w${i}`)} as (${p} returning 1)`),
        sql`, `,
      );
      await writeDb.execute(sql`with ${ctes} select 1`);
    }
  }

  const writer = createRunWriteBehind({ write: writeBatch, logger });

  /** A state read from the database, brought up to date with writes still on their way. */
  function withQueued(state: UserState, queued: UserWrites): UserState {
    let next = state;
    if (queued.run !== undefined) next = { ...next, run: queued.run ? queued.run.state : undefined };
    if (queued.facts) next = { ...next, facts: { ...next.facts, ...Object.fromEntries(Object.entries(queued.facts).map(([k, f]) => [k, f.value])) } };
    const c = queued.outcomes.map((o) => citizenshipAnswer(o.state)).find(Boolean);
    if (c && !next.user.citizenship) next = { ...next, user: { ...next.user, citizenship: c } };
    return next;
  }
  const mirrorRun = (userId: number, run: RunState | undefined) => cache.patch(userId, (s) => ({ ...s, run }));

  return {
    /** The user and their run in progress (undefined: no such user). */
    async findUserAndRun(userId: number): Promise<UserState | undefined> {
      const cached = cache.get(userId);
      if (cached) return cached;
      const token = cache.beginRead(userId);
      // Taken before the read: only this user's own updates queue their writes,
      // and they come one at a time, so nothing newer can be queued meanwhile, and
      // whatever is queued is at least as new as what the read returns.
      const queued = writer.queued(userId);
      const [row] = await userAndRun.execute({ id: userId });
      if (!row) {
        cache.endRead(userId, token);
        return undefined;
      }
      let state: UserState = {
        user: row.user,
        run: row.run ? toState(row.run) : undefined,
        pending: row.pending ?? undefined,
        openCaseId: row.openCaseId === null ? undefined : Number(row.openCaseId),
        facts: row.facts ?? {},
      };
      if (queued) state = withQueued(state, queued);
      cache.put(userId, state, token);
      return state;
    },

    async findActive(userId: number): Promise<RunState | undefined> {
      const cached = cache.get(userId);
      if (cached) return cached.run;
      const queued = writer.queued(userId);
      if (queued?.run !== undefined) return queued.run ? queued.run.state : undefined;
      const [row] = await db.select().from(flowRuns).where(eq(flowRuns.userId, userId)).limit(1);
      return row ? toState(row) : undefined;
    },

    /** The user's facts: from the cached per-update read, as a rule. */
    async findFacts(userId: number): Promise<FactMap> {
      const cached = cache.get(userId);
      if (cached) return cached.facts;
      await writer.settle(userId);
      const rows = await db.select({ fact: userFacts.fact, value: userFacts.value }).from(userFacts).where(eq(userFacts.userId, userId));
      return Object.fromEntries(rows.map((r) => [r.fact, r.value]));
    },

    /** Saves the run; the database write follows right behind (see the file comment). */
    save(userId: number, state: RunState, now: Date): void {
      mirrorRun(userId, state);
      writer.saveRun(userId, state, now);
    },

    clear(userId: number): void {
      mirrorRun(userId, undefined);
      writer.clearRun(userId);
    },

    /** Facts answered in a flow: mirrored in the cache at once, written behind like the run. */
    saveFacts(userId: number, facts: Record<string, FactValue>, source: string, now: Date): void {
      cache.patch(userId, (s) => ({ ...s, facts: { ...s.facts, ...facts } }));
      writer.saveFacts(userId, facts, source, now);
    },

    recordResult(userId: number, state: RunState, outcome: string, dates: ComputedDate[], now: Date): void {
      const c = citizenshipAnswer(state);
      if (c) cache.patch(userId, (s) => (s.user.citizenship ? s : { ...s, user: { ...s.user, citizenship: c } }));
      writer.recordOutcome(userId, { state, outcome, dates, now });
    },

    async listResults(userId: number, limit = 20): Promise<FlowResultRow[]> {
      await writer.settle(userId);
      return db
        .select()
        .from(flowResults)
        .where(eq(flowResults.userId, userId))
        .orderBy(desc(flowResults.createdAt))
        .limit(limit);
    },

    /** Waits until the user's saved state is in the database (before reading it another way). */
    settle: (userId: number) => writer.settle(userId),
    /** Writes everything queued; call before closing the database. */
    drain: () => writer.drain(),
    get backlog() {
      return writer.backlog;
    },
  };
}

export type FlowRunRepository = ReturnType<typeof createFlowRunRepository>;
