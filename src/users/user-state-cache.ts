/**
 * The per-update read of a user (profile, flow run, a dialogue in progress, the
 * open case), kept in memory between updates.
 *
 * Why: every update needs this read, and one PostgreSQL round trip costs more than
 * the rest of a flow step. A user walking a flow presses a button every few
 * seconds; nothing else changes their row in between, so the previous update's
 * view is still true.
 *
 * How it stays true: the code that owns each table tells the cache when it writes
 * (the user repository, the pending-input repository, the case service, the
 * senders that mark a user blocked), and the flow-run repository keeps the cached
 * run equal to what it saves. In one process that is all. With several bot
 * processes on one PostgreSQL (CLUSTER_MODE, src/cluster/), an invalidation is also
 * announced to the other processes (`onInvalidate`, LISTEN/NOTIFY), which `drop`
 * the user, and a process handling a chat another process handled last drops the
 * user first (src/cluster/chat-turns.ts). Entries also expire after `ttlMs`, a
 * bound on how long a write from anywhere else (a hand-made SQL fix) can go unseen.
 */
import type { PendingInput } from '../lawyer-queue/pending-input-repository.js';
import type { RunState } from '../flow-engine/types.js';
import type { UserRow } from './user-repository.js';
import type { FactMap } from '../situation/schema.js';

export interface UserState {
  user: UserRow;
  run: RunState | undefined;
  pending: PendingInput | undefined;
  openCaseId: number | undefined;
  /** The user's facts (the situation model). */
  facts: FactMap;
}

export interface UserStateCacheOptions {
  /** Most users kept; the least recently used go first. */
  max?: number;
  ttlMs?: number;
  now?: () => number;
}

export function createUserStateCache({ max = 20_000, ttlMs = 5 * 60_000, now = Date.now }: UserStateCacheOptions = {}) {
  const entries = new Map<number, { state: UserState; at: number }>();
  /** Reads from the database in progress: an invalidation meanwhile makes their result too old to keep. */
  const reads = new Map<number, object>();
  const stats = { hits: 0, misses: 0 };
  /** Told of every invalidation made here (cluster mode announces it to the other processes). */
  let announce: ((userId: number) => void) | undefined;
  const drop = (userId: number) => {
    entries.delete(userId);
    reads.delete(userId);
  };

  return {
    stats,
    get(userId: number): UserState | undefined {
      const e = entries.get(userId);
      if (!e || now() - e.at > ttlMs) {
        if (e) entries.delete(userId);
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      // Re-insert: Map order is the eviction order.
      entries.delete(userId);
      entries.set(userId, e);
      return e.state;
    },

    /** Whether the user is kept (no statistics, no change of order). */
    has(userId: number): boolean {
      return entries.has(userId);
    },

    /** Call before reading the user from the database; pass the token to `put`. */
    beginRead(userId: number): object {
      const token = {};
      reads.set(userId, token);
      return token;
    },

    /** Keeps what was read, unless the user changed while it was being read. */
    put(userId: number, state: UserState, token: object): void {
      if (reads.get(userId) !== token) return;
      reads.delete(userId);
      entries.delete(userId);
      entries.set(userId, { state, at: now() });
      if (entries.size > max) entries.delete(entries.keys().next().value!);
    },

    /** The read found nothing to keep (no such user). */
    endRead(userId: number, token: object): void {
      if (reads.get(userId) === token) reads.delete(userId);
    },

    /** The flow-run repository mirrors a save here (a no-op if the user is not cached). */
    patch(userId: number, change: (s: UserState) => UserState): void {
      const e = entries.get(userId);
      if (e) e.state = change(e.state);
    },

    /** Call after a write to the user's rows has committed. */
    invalidate(userId: number): void {
      drop(userId);
      announce?.(userId);
    },

    /** Forgets the user here only (another process changed them; nothing to announce). */
    drop,

    /** Forgets everyone (the announcements from other processes may have been missed). */
    clear(): void {
      entries.clear();
      reads.clear();
    },

    /** Sets who hears of each invalidation (cluster mode). */
    onInvalidate(listener: ((userId: number) => void) | undefined): void {
      announce = listener;
    },
  };
}

export type UserStateCache = ReturnType<typeof createUserStateCache>;
