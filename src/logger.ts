/**
 * The root logger. Logs carry ids, methods and error names, never message texts or
 * personal data: a leaked log must not reveal what a migrant asked.
 */
import { pino } from 'pino';

export type Logger = pino.Logger;

/** `destination`: where lines go (stdout by default; tests read them). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['text', '*.text', 'payload', '*.payload', 'message', 'update'], censor: '[redacted]' },
    },
    destination,
  );
}
