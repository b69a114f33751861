/**
 * What a log line may say about an error: its class, message, code and stack, with
 * anything that could carry a user's words taken out. Drizzle puts the query's
 * parameters (the user's text) in its message, and PostgreSQL quotes offending
 * values in its messages, so those parts are cut before logging.
 */

export interface ErrorFacts {
  class: string;
  message: string;
  code?: string;
  stack?: string;
  /** Telegram's method and description, which name the problem, not the content. */
  method?: string;
  description?: string;
  cause?: ErrorFacts;
}

/** Longest message kept (a stack is capped by its frames). */
const MAX_MESSAGE = 300;
const MAX_FRAMES = 15;

/** Quoted literals in database messages ("…", '…') may be the user's text. */
function scrub(message: string): string {
  const cut = message.split('\nparams:')[0]!;
  return cut
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .slice(0, MAX_MESSAGE);
}

/** The stack's frames only: its first line repeats the message, which is logged scrubbed. */
function frames(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const lines = stack.split('\n').filter((l) => /^\s+at /.test(l));
  return lines.slice(0, MAX_FRAMES).map((l) => l.trim()).join('\n') || undefined;
}

export function errorFacts(err: unknown, depth = 0): ErrorFacts {
  if (!(err instanceof Error)) return { class: typeof err, message: scrub(String(err)) };
  const e = err as Error & { code?: unknown; method?: unknown; description?: unknown; cause?: unknown };
  const facts: ErrorFacts = { class: e.constructor?.name && e.constructor.name !== 'Error' ? e.constructor.name : e.name, message: scrub(e.message) };
  if (typeof e.code === 'string' || typeof e.code === 'number') facts.code = String(e.code);
  if (typeof e.method === 'string') facts.method = e.method;
  if (typeof e.description === 'string') facts.description = scrub(e.description);
  facts.stack = frames(e.stack);
  if (e.cause !== undefined && depth < 3) facts.cause = errorFacts(e.cause, depth + 1);
  return facts;
}
