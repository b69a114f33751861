/**
 * Tells an infrastructure failure (the database unreachable or shutting down)
 * from a bug or bad input. An update that failed for an infrastructure reason is
 * not lost: it is left for Telegram to deliver again (webhook answers non-2xx,
 * polling keeps the offset), because handling it again later will work. A bug
 * would fail again, so that update is answered with an apology and counted as
 * handled.
 */

/** Socket-level codes (Node) that mean the server could not be reached. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** postgres.js's own codes for a connection that is gone. */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/**
 * SQLSTATE classes worth retrying: 08 connection exception, 53 insufficient
 * resources, 57P01–57P03 shutdown / cannot connect now, 40001 / 40P01 a
 * serialization failure or deadlock (the same update succeeds when run again).
 */
const RETRYABLE_SQLSTATE = /^(08|53|57P0[1-3]$|40001$|40P01$)/;

/** Walks `cause` links: drizzle wraps the driver's error in DrizzleQueryError. */
function* causes(err: unknown): Generator<unknown> {
  let e: unknown = err;
  for (let depth = 0; e && depth < 8; depth++) {
    yield e;
    e = (e as { cause?: unknown }).cause;
  }
}

export function isInfrastructureError(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e instanceof InfrastructureError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || DRIVER_CODES.has(code) || RETRYABLE_SQLSTATE.test(code))) return true;
    // PGlite after close (the embedded database going away under a running process).
    if (e instanceof Error && /^PGlite is closed/.test(e.message)) return true;
  }
  return false;
}

/** A failure our own code knows to be infrastructural (and a test can raise). */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
}
