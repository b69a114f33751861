/**
 * Runs a job now and then on an interval, never two runs at once, and stops after
 * the run in hand finishes. The durable senders (outbox, reminders, alerts) share it so a
 * restart or SIGTERM never cuts a run in half.
 */
import type { Logger } from '../logger.js';
import { errorFacts } from './error-facts.js';

export interface PeriodicTask {
  /** Runs now (unless a run is already going), without waiting for the next tick. */
  wake(): void;
  start(intervalMs: number): void;
  /** Stops ticking and waits for the run in hand. */
  stop(): Promise<void>;
}

export function createPeriodicTask(name: string, run: () => Promise<unknown>, logger: Logger): PeriodicTask {
  let running: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = run()
      .catch((err) => logger.error({ task: name, error: errorFacts(err) }, 'background run failed'))
      .finally(() => {
        running = undefined;
      });
  };
  return {
    wake: tick,
    start(intervalMs) {
      stopped = false;
      timer = setInterval(tick, intervalMs);
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
