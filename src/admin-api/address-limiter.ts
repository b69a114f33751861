/**
 * Requests that fail authentication (no token, a wrong or revoked one), counted per
 * address in a fixed one-minute window. The per-token rate limit cannot see them
 * (there is no account to count against), yet each costs a token lookup, so an
 * address that keeps failing is answered 429 before any lookup.
 */

export interface AddressLimiter {
  /** Seconds until the address may try again, or 0 when it may now. */
  blockedFor(address: string, now?: number): number;
  /** Counts a failed attempt from the address. */
  fail(address: string, now?: number): void;
}

/** Addresses remembered at most (a flood of spoofed ones cannot grow memory without bound). */
const MAX_ADDRESSES = 50_000;

export function createAddressLimiter(maxPerWindow: number, windowMs = 60_000): AddressLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const current = (address: string, now: number) => {
    const w = windows.get(address);
    return w && now - w.start < windowMs ? w : undefined;
  };
  return {
    blockedFor(address, now = Date.now()) {
      const w = current(address, now);
      return w && w.count >= maxPerWindow ? Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) : 0;
    },
    fail(address, now = Date.now()) {
      const w = current(address, now);
      if (w) w.count++;
      else {
        if (windows.size >= MAX_ADDRESSES) windows.clear();
        windows.set(address, { start: now, count: 1 });
      }
    },
  };
}
