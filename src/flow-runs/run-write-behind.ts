/**
 * Writes flow state behind the update that changed it.
 *
 * Why: a flow step's database write (a commit waiting for the WAL) costs more than
 * everything else in the step. The user's next screen does not depend on it, so the
 * write starts at once and the reply goes out while it runs.
 *
 * What holds:
 * - Per user, the newest run state wins and outcomes are appended in order; writes
 *   go out in batches, one transaction each, while updates keep coming.
 * - `queued(userId)` tells what is still on its way, so a read from the database
 *   can be brought up to date without waiting (a commit waits for the disk, often
 *   10 ms or more, longer than a user's next tap in a busy minute).
 * - `settle(userId)` waits until that user's writes are in the database: before
 *   reading outcomes, and before /forget (so no queued row outlives the deletion).
 * - A batch the database refuses is retried user by user: a user who is gone
 *   (forgotten meanwhile: the foreign key refuses the row) is dropped, the rest
 *   written. While the database is unreachable everything is kept and retried with
 *   back-off. Nothing is dropped for any other reason.
 * - `drain()` on shutdown writes everything left.
 * The one thing that can be lost is a step taken in the last moment before the
 * process is killed (not stopped): the user then sees "this menu expired" and the
 * step before it, and answers once more.
 */
import type { ComputedDate, RunState } from '../flow-engine/types.js';
import type { FactValue } from '../situation/schema.js';
import type { Logger } from '../logger.js';

export interface OutcomeWrite {
  state: RunState;
  outcome: string;
  dates: ComputedDate[];
  now: Date;
}

/** Everything waiting to be written for one user. `run: null` deletes the run. */
export interface UserWrites {
  run?: { state: RunState; now: Date } | null;
  outcomes: OutcomeWrite[];
  /** Facts answered in flows (the newest value per fact wins), with the flow they came from. */
  facts?: Record<string, { value: FactValue; source: string; now: Date }>;
}

/** Writes a batch in one transaction (all or nothing). */
export type WriteBatch = (batch: Map<number, UserWrites>) => Promise<void>;

function mergeFacts(older: UserWrites['facts'], newer: UserWrites['facts']): UserWrites['facts'] {
  if (!older) return newer;
  if (!newer) return older;
  return { ...older, ...newer };
}

export class FlowStateNotSavedError extends Error {
  override readonly name = 'FlowStateNotSavedError';
}

const FOREIGN_KEY_VIOLATION = '23503';

/** postgres.js and PGlite errors carry the SQLSTATE; drizzle wraps them in `cause`. */
function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

export interface WriteBehindOptions {
  write: WriteBatch;
  logger: Logger;
  /** First retry delay after a failed write; doubles up to 5 s. */
  retryMs?: number;
}

export function createRunWriteBehind({ write, logger, retryMs = 200 }: WriteBehindOptions) {
  let pending = new Map<number, UserWrites>();
  let inFlight = new Map<number, UserWrites>();
  let attempt: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let attemptWaiters: (() => void)[] = [];

  const writesOf = (userId: number) => {
    let w = pending.get(userId);
    if (!w) {
      w = { outcomes: [] };
      pending.set(userId, w);
    }
    return w;
  };

  /** Puts back what could not be written, under anything newer that came meanwhile. */
  function requeue(userId: number, old: UserWrites) {
    const newer = pending.get(userId);
    pending.set(userId, {
      run: newer && newer.run !== undefined ? newer.run : old.run,
      outcomes: [...old.outcomes, ...(newer?.outcomes ?? [])],
      facts: mergeFacts(old.facts, newer?.facts),
    });
  }

  async function writeOnce(): Promise<void> {
    inFlight = pending;
    pending = new Map();
    try {
      await write(inFlight);
      failures = 0;
    } catch (batchError) {
      let kept = 0;
      let dropped = 0;
      // Only a refused row (SQLSTATE class 23, integrity) is worth finding user by
      // user; a database that is down would refuse each of them too.
      const rowRefused = sqlState(batchError)?.startsWith('23') ?? false;
      for (const [userId, w] of inFlight) {
        if (!rowRefused) {
          kept++;
          requeue(userId, w);
          continue;
        }
        try {
          await write(new Map([[userId, w]]));
        } catch (err) {
          if (sqlState(err) === FOREIGN_KEY_VIOLATION) dropped++;
          else {
            kept++;
            requeue(userId, w);
          }
        }
      }
      if (kept) failures++;
      else failures = 0;
      // Never values: a database error may quote them.
      logger.error({ error: (batchError as Error)?.name, code: sqlState(batchError), kept, dropped }, 'flow state write failed');
    } finally {
      inFlight = new Map();
    }
  }

  function start() {
    if (attempt) return;
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = undefined;
    }
    attempt = writeOnce().finally(() => {
      attempt = undefined;
      const waiters = attemptWaiters;
      attemptWaiters = [];
      for (const w of waiters) w();
      if (pending.size) schedule();
    });
  }

  /** Starts a write now, or after a back-off while the database keeps failing. */
  function schedule() {
    if (attempt || retryTimer) return;
    if (failures === 0) return start();
    retryTimer = setTimeout(start, Math.min(5000, retryMs * 2 ** (failures - 1)));
    retryTimer.unref();
  }

  /** Resolves when the running (or a new) attempt has finished. */
  function nextAttempt(): Promise<void> {
    const done = new Promise<void>((resolve) => attemptWaiters.push(resolve));
    if (!attempt) start();
    return done;
  }

  const isWaiting = (userId: number) => pending.has(userId) || inFlight.has(userId);

  /** What is queued or being written for a user, newest run state first. */
  function queued(userId: number): UserWrites | undefined {
    const older = inFlight.get(userId);
    const newer = pending.get(userId);
    if (!older && !newer) return undefined;
    return {
      run: newer && newer.run !== undefined ? newer.run : older?.run,
      outcomes: [...(older?.outcomes ?? []), ...(newer?.outcomes ?? [])],
      facts: mergeFacts(older?.facts, newer?.facts),
    };
  }

  return {
    saveRun(userId: number, state: RunState, now: Date) {
      writesOf(userId).run = { state, now };
      schedule();
    },
    clearRun(userId: number) {
      writesOf(userId).run = null;
      schedule();
    },
    recordOutcome(userId: number, outcome: OutcomeWrite) {
      writesOf(userId).outcomes.push(outcome);
      schedule();
    },
    saveFacts(userId: number, facts: Record<string, FactValue>, source: string, now: Date) {
      const w = writesOf(userId);
      w.facts = mergeFacts(w.facts, Object.fromEntries(Object.entries(facts).map(([k, value]) => [k, { value, source, now }])));
      schedule();
    },

    queued,

    /** Waits until this user's writes are stored; throws if the database keeps refusing them. */
    async settle(userId: number): Promise<void> {
      for (let tries = 0; isWaiting(userId); tries++) {
        if (tries === 3) throw new FlowStateNotSavedError('flow state could not be written yet');
        await nextAttempt();
      }
    },

    /** Writes everything left (shutdown). Returns how many users' writes could not be stored. */
    async drain(maxAttempts = 5): Promise<number> {
      for (let i = 0; i < maxAttempts && (pending.size || attempt); i++) await nextAttempt();
      if (pending.size) logger.error({ users: pending.size }, 'flow state left unwritten at shutdown');
      return pending.size;
    },

    /** Users with writes not yet stored (for health and tests). */
    get backlog() {
      return pending.size + inFlight.size;
    },
  };
}

export type RunWriteBehind = ReturnType<typeof createRunWriteBehind>;
