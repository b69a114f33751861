/**
 * Waits for a condition, never for a fixed time. The cap is there only so a
 * broken test ends: it is generous (a loaded 2-core CI machine runs several test
 * files at once) and grows with TEST_SLOWDOWN (e.g. 2 on a slower machine).
 */
const SLOWDOWN = Number(process.env.TEST_SLOWDOWN ?? 1) || 1;

/** The default cap, in ms: far above the seconds these conditions take when idle. */
export const WAIT_CAP_MS = 120_000 * SLOWDOWN;

/** A test timeout that leaves room for `n` waits at the full cap. */
export const testTimeout = (n = 1) => n * WAIT_CAP_MS + 30_000;

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, capMs = WAIT_CAP_MS): Promise<void> {
  const until = Date.now() + capMs;
  let pause = 10;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`gave up after ${Math.round(capMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 200);
  }
}
