/**
 * Long polling that never confirms an update it has not finished. Telegram
 * forgets every update below the `offset` of a getUpdates call, so grammY's runner
 * (which moves the offset past each batch as soon as it is fetched) would confirm
 * an update that later fails because the database is down, and it would be lost.
 * Here the offset stays at the oldest update still being handled or deferred:
 * Telegram returns it again, the ones already handled are skipped here (and by the
 * update guard's record), and a deferred one is handled again after a backoff.
 */
import { createConcurrentSink, createRunner, createSource, type RunnerHandle, type UpdateSupplier } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { errorFacts } from '../lib/error-facts.js';
import type { Logger } from '../logger.js';
import type { BotContext } from './context.js';
import { isDeferral } from './update-guard.js';

/** First wait before a deferred update is tried again; doubles up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** Longest wait for an update in hand before fetching again (others may have come). */
const IN_FLIGHT_WAIT_MS = 500;
/** Long-polling timeout, seconds. */
const POLL_TIMEOUT_S = 30;

export interface PollingOptions {
  allowedUpdates: readonly string[];
  logger: Logger;
  firstRetryMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export function runPolling(bot: Bot<BotContext>, o: PollingOptions): RunnerHandle {
  const firstRetry = o.firstRetryMs ?? FIRST_RETRY_MS;
  /** The offset for updates never seen (last fetched + 1). */
  let fresh = 0;
  /** Handed to the sink and not finished. */
  const inHand = new Set<number>();
  /** Deferred (database down): handed out again when Telegram returns them. */
  const deferred = new Set<number>();
  let retryMs = firstRetry;
  let retryAt = 0;
  let fetchRetryMs = firstRetry;
  let finished: () => void = () => {};
  const nextFinish = () => new Promise<void>((r) => (finished = r));

  const offset = () => Math.min(fresh, ...inHand, ...deferred);

  const supplier = {
    async supply(batchSize: number, signal: AbortSignal): Promise<Update[]> {
      await bot.init();
      while (!signal.aborted) {
        if (deferred.size && Date.now() < retryAt) await sleep(retryAt - Date.now(), signal);
        if (signal.aborted) break;
        const waitForFinish = nextFinish();
        let updates: Update[];
        try {
          updates = await bot.api.getUpdates(
            { offset: offset(), limit: Math.max(1, Math.min(batchSize, 100)), timeout: POLL_TIMEOUT_S, allowed_updates: [...o.allowedUpdates] as never },
            signal as never,
          );
          fetchRetryMs = firstRetry;
        } catch (err) {
          if (signal.aborted) break;
          const code = (err as { error_code?: number }).error_code;
          // A wrong token or another process polling: retrying cannot help.
          if (code === 401 || code === 409) throw err;
          const retryAfter = (err as { parameters?: { retry_after?: number } }).parameters?.retry_after;
          o.logger.warn({ error: errorFacts(err) }, 'getUpdates failed; retrying');
          await sleep(retryAfter ? retryAfter * 1000 : fetchRetryMs, signal);
          fetchRetryMs = Math.min(fetchRetryMs * 2, MAX_RETRY_MS);
          continue;
        }
        const due = updates.filter((u) => u.update_id >= fresh || (deferred.has(u.update_id) && Date.now() >= retryAt));
        for (const u of due) {
          deferred.delete(u.update_id);
          inHand.add(u.update_id);
        }
        const last = updates.at(-1)?.update_id;
        if (last !== undefined) fresh = Math.max(fresh, last + 1);
        if (due.length) return due;
        // Only updates in hand (or deferred) came back: wait for one to finish.
        if (updates.length) await Promise.race([waitForFinish, sleep(IN_FLIGHT_WAIT_MS, signal)]);
      }
      return [];
    },
  };

  const sink = createConcurrentSink<Update>(
    {
      consume: async (update) => {
        try {
          await bot.handleUpdate(update);
          retryMs = firstRetry;
        } catch (err) {
          if (!isDeferral(err)) throw err;
          deferred.add(update.update_id);
          retryAt = Date.now() + retryMs;
          retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        } finally {
          inHand.delete(update.update_id);
          finished();
        }
      },
    },
    async (error) => {
      try {
        await bot.errorHandler(error as never);
      } catch (err) {
        o.logger.error({ error: errorFacts(err) }, 'error handler failed');
      }
    },
  );
  const runner = createRunner(createSource(supplier as unknown as UpdateSupplier<Update>), sink);
  runner.start();
  return runner;
}
