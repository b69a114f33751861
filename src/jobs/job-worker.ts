/**
 * The run loop of a durable sender: handle batches until none is left, then look
 * again on an interval (and when woken); never two runs at once; a stop lets the
 * batch in hand finish (or give back what it has not started, see `stopping`).
 */
import { createPeriodicTask } from '../lib/periodic-task.js';
import type { Logger } from '../logger.js';

export interface BatchResult {
  /** Rows claimed: 0 ends the run. */
  claimed: number;
  /** Rows handled to a final or later state (what `runOnce` adds up). */
  handled: number;
}

export interface JobWorkerOptions {
  name: string;
  logger: Logger;
  /** How often to look for due rows when idle (retries, other processes' expired leases). */
  intervalMs: number;
  /** Claims and handles one batch. `stopping()` turns true when a stop is asked for. */
  runBatch: (stopping: () => boolean) => Promise<BatchResult>;
  /** Before a run (start what has come due) and after it (wait for what is in flight, finish up). */
  beforeRun?: () => Promise<unknown>;
  afterRun?: (handled: number) => unknown;
}

export interface JobWorker {
  /** Handles everything due now; returns how many rows it handled. */
  runOnce(): Promise<number>;
  /** Runs now (unless a run is going), without waiting for the next tick. */
  wake(): void;
  /** Runs now, then every `intervalMs` (default: the worker's own). */
  start(intervalMs?: number): void;
  /** Stops ticking and waits for the run in hand, which stops after its batch. */
  stop(): Promise<void>;
}

export function createJobWorker(o: JobWorkerOptions): JobWorker {
  let stopped = false;
  const stopping = () => stopped;
  async function runOnce(): Promise<number> {
    await o.beforeRun?.();
    let handled = 0;
    for (;;) {
      const r = await o.runBatch(stopping);
      handled += r.handled;
      if (!r.claimed || stopped) break;
    }
    await o.afterRun?.(handled);
    return handled;
  }
  const task = createPeriodicTask(o.name, runOnce, o.logger);
  return {
    runOnce,
    wake: () => task.wake(),
    start(intervalMs = o.intervalMs) {
      stopped = false;
      task.start(intervalMs);
    },
    async stop() {
      stopped = true;
      await task.stop();
    },
  };
}
