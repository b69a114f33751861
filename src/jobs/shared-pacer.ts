/**
 * Paces sends at a rate that holds for the sum of all processes on one database.
 * The rate's row in `rate_limits` holds when the next free send slot starts; a
 * process takes the slots for a batch (n sends, n / rate seconds) by moving it
 * forward in one atomic statement, and sends at those slots. Two processes' grants
 * never overlap, so together they send at most `rate` a second (a process going
 * on from its own last grant may catch up the moment it lost asking for the next,
 * at most `burstMs`; there is no burst after idling or for a newcomer). A 429 moves the shared moment past
 * `retry_after`, so every process waits, and voids the slots this one holds.
 *
 * Times: the database's clock decides the slots (one clock for all processes);
 * the process turns them into its own `performance.now()` from the answer, which
 * only ever makes it send a little later than granted, never earlier.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { rateLimits } from '../db/schema/index.js';

export interface SharedPacerOptions {
  db: Database;
  /** The limit's name: every process sending under the same limit uses the same name. */
  name: string;
  /** Sends per second, for all processes together. */
  rate: number;
  /** How much unused time a grant may catch up (default: a quarter of a second). */
  burstMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SharedPacer {
  /**
   * Resolves at this process's next send slot. `remaining`: the sends still to come
   * in this batch, this one included; the slots in hand are used when they are
   * exactly these, otherwise (a new batch, slots voided by a 429) one grant for all
   * of them is taken.
   */
  take(remaining: number): Promise<void>;
  /** Telegram said 429: no process sends for `ms`. */
  pause(ms: number): Promise<void>;
}

const seconds = (ms: number) => sql`make_interval(secs => ${ms / 1000}::float8)`;

export function createSharedPacer(o: SharedPacerOptions): SharedPacer {
  const interval = 1000 / o.rate;
  const burstMs = o.burstMs ?? 250;
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  /** The slots in hand: `left` of them, the next at `next` (local time). */
  let left = 0;
  let next = 0;

  /** Where this process's last grant ended (database time, epoch ms): it may go on from there. */
  let ownEnd: number | null = null;

  /**
   * Takes `n` slots; returns in how many ms (database time) the first one starts
   * (≤ 0: now). They start where the last slot given out ended, or now if that is
   * past; a process going on from its own last grant (no other came between) may
   * catch up to `burstMs` of the time it lost asking for this one.
   */
  async function grant(n: number): Promise<number> {
    const span = n * interval;
    const from =
      ownEnd === null
        ? sql`clock_timestamp()`
        : sql`greatest(to_timestamp(${ownEnd / 1000}::float8), clock_timestamp() - ${seconds(burstMs)})`;
    const [row] = await o.db
      .insert(rateLimits)
      .values({ name: o.name, nextAt: sql`clock_timestamp() + ${seconds(span)}` })
      .onConflictDoUpdate({
        target: rateLimits.name,
        set: { nextAt: sql`greatest(rate_limits.next_at, least(${from}, clock_timestamp())) + ${seconds(span)}` },
      })
      .returning({
        endsAt: sql<number>`(extract(epoch from ${rateLimits.nextAt}) * 1000)::float8`,
        endsInMs: sql<number>`(extract(epoch from (${rateLimits.nextAt} - clock_timestamp())) * 1000)::float8`,
      });
    ownEnd = Number(row!.endsAt);
    return Number(row!.endsInMs) - span;
  }

  async function take(remaining: number): Promise<void> {
    if (left !== remaining) {
      const startsIn = await grant(remaining);
      next = now() + startsIn;
      left = remaining;
    }
    for (;;) {
      const wait = next - now();
      if (wait <= 0) break;
      await sleep(Math.min(wait, 1000));
      if (left === 0) return take(remaining); // a 429 voided the slots meanwhile
    }
    left--;
    next += interval;
  }

  return {
    take,
    async pause(ms) {
      left = 0;
      ownEnd = null;
      await o.db
        .insert(rateLimits)
        .values({ name: o.name, nextAt: sql`clock_timestamp() + ${seconds(ms)}` })
        .onConflictDoUpdate({ target: rateLimits.name, set: { nextAt: sql`greatest(rate_limits.next_at, clock_timestamp() + ${seconds(ms)})` } });
    },
  };
}
