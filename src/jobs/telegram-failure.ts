/**
 * What a failed Bot API call means for the job that made it, decided in one place
 * for every durable sender (outbox, alerts): a 429 waits for `retry_after` without
 * counting an attempt, a 403 means the user blocked the bot (never retried), 5xx,
 * network errors and timeouts back off and give up after a number of attempts, and
 * anything else (a 400, our own error) fails at once, since retrying will not help.
 */
import { GrammyError, HttpError } from 'grammy';
import { errorFacts } from '../lib/error-facts.js';

export type TelegramFailure =
  /** 429: Telegram asks us to wait. */
  | { kind: 'rate-limited'; retryAfterMs: number; description: string }
  /** 403: the user blocked the bot (or deleted their account). */
  | { kind: 'blocked'; description: string }
  /** 5xx, a network error, or no answer in time: may work later. */
  | { kind: 'transient'; description: string; timedOut: boolean }
  /** 400 and our own errors: will not get better by retrying. */
  | { kind: 'permanent'; description: string };

/**
 * Classifies an error thrown by a grammY `Api` call. `timedOut`: the caller cut the
 * call off (its AbortSignal fired), so Telegram may have delivered it anyway.
 * Descriptions name the problem, never the message's content (they go to logs).
 */
export function classifyTelegramError(err: unknown, timedOut?: { afterMs: number }): TelegramFailure {
  if (err instanceof GrammyError) {
    if (err.error_code === 429) return { kind: 'rate-limited', retryAfterMs: (err.parameters.retry_after ?? 1) * 1000, description: err.description };
    if (err.error_code === 403) return { kind: 'blocked', description: err.description };
    if (err.error_code >= 500) return { kind: 'transient', description: err.description, timedOut: false };
    return { kind: 'permanent', description: err.description };
  }
  if (timedOut) return { kind: 'transient', description: `no answer in ${timedOut.afterMs / 1000} s (may have been delivered)`, timedOut: true };
  if (err instanceof HttpError) return { kind: 'transient', description: 'network error', timedOut: false };
  // Our own error (a database error's message may quote the user's text: scrubbed).
  const facts = errorFacts(err);
  return { kind: 'permanent', description: `${facts.class}: ${facts.message}`.slice(0, 200) };
}

/** How a job retries: exponential back-off from `baseMs`, capped, at most `maxAttempts` attempts. */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

/** `baseMs`, twice that, four times … up to `capMs`; `attempt` counts from 1. */
export const backoffMs = (p: RetryPolicy, attempt: number) => Math.min(p.baseMs * 2 ** (attempt - 1), p.capMs);

/** What to write on the job's row after a failed attempt. */
export type FailureOutcome =
  | { outcome: 'retry'; at: Date; lastError: string; /** 429: the attempt does not count. */ refundAttempt: boolean }
  | { outcome: 'blocked'; lastError: string }
  | { outcome: 'failed'; lastError: string };

/** Decides what follows a failure, given the attempts made so far (this one included). */
export function afterFailure(f: TelegramFailure, attempts: number, policy: RetryPolicy, now: Date): FailureOutcome {
  switch (f.kind) {
    case 'rate-limited':
      return { outcome: 'retry', at: new Date(now.getTime() + f.retryAfterMs), lastError: f.description, refundAttempt: true };
    case 'blocked':
      return { outcome: 'blocked', lastError: f.description };
    case 'transient':
      return attempts >= policy.maxAttempts
        ? { outcome: 'failed', lastError: f.description }
        : { outcome: 'retry', at: new Date(now.getTime() + backoffMs(policy, attempts)), lastError: f.description, refundAttempt: false };
    case 'permanent':
      return { outcome: 'failed', lastError: f.description };
  }
}

/** The columns a failed attempt writes on a job row (status, or when to try again); the lease is given up. */
export function columnsAfterFailure(d: FailureOutcome, attempts: number) {
  const set: { leaseUntil: null; lastError: string; status?: 'blocked' | 'failed'; nextAttemptAt?: Date; attempts?: number } = { leaseUntil: null, lastError: d.lastError };
  if (d.outcome !== 'retry') set.status = d.outcome;
  else {
    set.nextAttemptAt = d.at;
    if (d.refundAttempt) set.attempts = attempts - 1;
  }
  return set;
}
