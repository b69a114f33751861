/**
 * Fixed-window counters for the web app's limits (per visitor, per address, new
 * sessions per address). In memory: one process serves the web app (see README).
 * Bounded: expired windows are dropped once the map grows past MAX_KEYS.
 */

/** Keys kept before expired windows are swept (a flood of addresses must not grow memory). */
const MAX_KEYS = 50_000;

export interface RateLimiter {
  /** Counts one hit for `key`; false when the window's limit is already reached. */
  take(key: string): boolean;
}

export function createRateLimiter(limit: number, windowMs: number, clock: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      const now = clock();
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        if (windows.size >= MAX_KEYS) {
          for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
          // Still full: everyone is inside a window; forget the oldest rather than grow.
          if (windows.size >= MAX_KEYS) windows.delete(windows.keys().next().value!);
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
