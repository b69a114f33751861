/**
 * Fixed-window counters for the web app's limits (per visitor, per address, new
 * sessions per address). In memory: one process serves the web app (see README).
 * Bounded: expired windows are dropped as new ones open, and at most MAX_KEYS are kept.
 */

/** Keys kept at most (a flood of addresses must not grow memory). */
const MAX_KEYS = 50_000;

export interface RateLimiter {
  /** Counts one hit for `key`; false when the window's limit is already reached. */
  take(key: string): boolean;
}

export function createRateLimiter(limit: number, windowMs: number, clock: () => number = Date.now): RateLimiter {
  // Ordered by window start: a key that opens a new window moves to the end, so the
  // expired ones are always at the front and are dropped in O(1) each.
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      const now = clock();
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        windows.delete(key);
        for (const [k, v] of windows) {
          if (now - v.start < windowMs && windows.size < MAX_KEYS) break;
          // Expired, or the map is full: the oldest window goes (a flood must not grow memory).
          windows.delete(k);
        }
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      if (w.count >= limit) return false;
      w.count++;
      return true;
    },
  };
}
