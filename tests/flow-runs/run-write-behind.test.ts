/**
 * The write-behind queue on its own, over a database stand-in that can be held and
 * made to fail: what reaches storage, in which order, and what happens while the
 * database is down. (The real SQL is exercised by every bot test.)
 */
import { describe, expect, it } from 'vitest';
import type { RunState } from '../../src/flow-engine/types.js';
import { createRunWriteBehind, FlowStateNotSavedError, type UserWrites } from '../../src/flow-runs/run-write-behind.js';
import { createLogger } from '../../src/logger.js';

const at = (node: string): RunState => ({ flowId: 'f', version: 1, node, answers: {}, stack: [] });
const now = new Date('2026-03-01T10:00:00Z');

/** Storage that keeps the newest run per user and every outcome; `down` makes it refuse. */
function storage() {
  const runs = new Map<number, string | undefined>();
  const outcomes: [number, string][] = [];
  const batches: number[][] = [];
  let down: Error | undefined;
  let gate: Promise<void> | undefined;
  return {
    runs,
    outcomes,
    batches,
    fail(err?: Error) {
      down = err;
    },
    /** Holds writes until the returned function is called. */
    hold() {
      let open = () => {};
      gate = new Promise((r) => {
        open = r;
      });
      return () => {
        gate = undefined;
        open();
      };
    },
    async write(batch: Map<number, UserWrites>) {
      if (gate) await gate;
      if (down) throw down;
      const fk = [...batch.keys()].find((id) => id < 0);
      if (fk !== undefined) throw Object.assign(new Error('violates foreign key'), { cause: { code: '23503' } });
      batches.push([...batch.keys()]);
      for (const [id, w] of batch) {
        if (w.run !== undefined) runs.set(id, w.run?.state.node);
        for (const o of w.outcomes) outcomes.push([id, o.outcome]);
      }
    },
  };
}

const logger = createLogger('silent');

describe('run write-behind', () => {
  it('writes the newest state per user and every outcome in order, batching what came while a write was out', async () => {
    const db = storage();
    const q = createRunWriteBehind({ write: db.write, logger });
    const release = db.hold();
    q.saveRun(1, at('a'), now); // goes out alone, held
    q.saveRun(1, at('b'), now);
    q.saveRun(2, at('x'), now);
    q.recordOutcome(1, { state: at('b'), outcome: 'first', dates: [], now });
    q.saveRun(1, at('c'), now);
    q.recordOutcome(1, { state: at('c'), outcome: 'second', dates: [], now });
    release();
    await q.drain();
    expect(db.runs.get(1)).toBe('c');
    expect(db.runs.get(2)).toBe('x');
    expect(db.outcomes).toEqual([
      [1, 'first'],
      [1, 'second'],
    ]);
    // Three saves of user 1 and one of user 2 took two writes, not four.
    expect(db.batches).toEqual([[1], [1, 2]]);
    expect(q.backlog).toBe(0);
  });

  it('settle() returns only once the user’s writes are stored', async () => {
    const db = storage();
    const q = createRunWriteBehind({ write: db.write, logger });
    const release = db.hold();
    q.saveRun(5, at('a'), now);
    let settled = false;
    const waiting = q.settle(5).then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    await waiting;
    expect(db.runs.get(5)).toBe('a');
    // A user with nothing queued does not wait at all.
    await q.settle(6);
  });

  it('keeps failed writes while the database is down, never letting an older state overwrite a newer one', async () => {
    const db = storage();
    const q = createRunWriteBehind({ write: db.write, logger, retryMs: 5 });
    db.fail(new Error('connection refused'));
    q.saveRun(1, at('a'), now);
    q.recordOutcome(1, { state: at('a'), outcome: 'o1', dates: [], now });
    await expect(q.settle(1)).rejects.toBeInstanceOf(FlowStateNotSavedError);
    q.saveRun(1, at('b'), now); // the user goes on meanwhile
    q.recordOutcome(1, { state: at('b'), outcome: 'o2', dates: [], now });
    db.fail(undefined);
    await q.settle(1);
    expect(db.runs.get(1)).toBe('b');
    expect(db.outcomes).toEqual([
      [1, 'o1'],
      [1, 'o2'],
    ]);
  });

  it('drops the writes of a user who is gone (foreign key) and stores everyone else’s', async () => {
    const db = storage();
    const q = createRunWriteBehind({ write: db.write, logger });
    const release = db.hold();
    q.saveRun(9, at('first'), now);
    q.saveRun(-1, at('gone'), now); // a negative id stands for a deleted user here
    q.saveRun(2, at('kept'), now);
    release();
    expect(await q.drain()).toBe(0);
    expect(db.runs.get(2)).toBe('kept');
    expect(db.runs.has(-1)).toBe(false);
  });

  it('reports what it could not write at shutdown instead of hanging', async () => {
    const db = storage();
    const q = createRunWriteBehind({ write: db.write, logger, retryMs: 1 });
    db.fail(new Error('down'));
    q.saveRun(1, at('a'), now);
    q.saveRun(2, at('a'), now);
    expect(await q.drain(3)).toBe(2);
  });
});
