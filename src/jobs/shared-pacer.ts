/**
 * Paces sends at a rate that holds for the sum of all processes on one database.
 * The rate's row in `rate_limits` holds when the next free send slot starts; a
 * process takes the slots for a batch (n sends, n / rate seconds) by moving it
 * forward in one atomic statement, and sends at those slots. Two processes' grants
 * never overlap, and a slot is used on time or lost (at most `slackMs` late), so
 * together they send at most `rate` a second, give or take the slack. A 429 moves
 * the shared moment past `retry_after`, so every process waits, and voids the
 * slots this one holds.
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
  /**
   * How late a slot may still be used (default: two slots' time, at least 250 ms): a
   * slot older than that is lost, so sends never bunch up after the process was held
   * up (a busy event loop, a slow query), and a process going on from its own last
   * grant catches up at most this much of the time it lost asking for the next.
   */
  slackMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SharedPacer {
  /**
   * Resolves at this process's next send slot. `remaining`: the sends still to come
   * in this batch, this one included: when the slots in hand run out (or a 429
   * voided them), one grant is taken for all of them.
   */
  take(remaining: number): Promise<void>;
  /** Telegram said 429: no process sends for `ms`. */
  pause(ms: number): Promise<void>;
}

const seconds = (ms: number) => sql`make_interval(secs => ${ms / 1000}::float8)`;

export function createSharedPacer(o: SharedPacerOptions): SharedPacer {
  const interval = 1000 / o.rate;
  const slackMs = o.slackMs ?? Math.max(2 * interval, 250);
  const minGrant = Math.ceil(slackMs / interval);
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
   * catch up to `slackMs` of the time it lost asking for this one.
   */
  async function grant(n: number): Promise<number> {
    const span = n * interval;
    const from =
      ownEnd === null
        ? sql`clock_timestamp()`
        : sql`greatest(to_timestamp(${ownEnd / 1000}::float8), clock_timestamp() - ${seconds(slackMs)})`;
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
    for (;;) {
      // Slots too old to use are lost (see slackMs).
      while (left > 0 && now() - next > slackMs) {
        left--;
        next += interval;
      }
      if (left === 0) {
        // At least a slack's worth: a process slower than the rate (its slots lapse)
        // asks once per slack, not once per send; slots left over serve the next batch.
        const n = Math.max(remaining, minGrant);
        const startsIn = await grant(n);
        next = now() + startsIn;
        left = n;
        continue;
      }
      const wait = next - now();
      if (wait <= 0) break;
      await sleep(Math.min(wait, 1000)); // a 429 may void the slots meanwhile: look again
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
