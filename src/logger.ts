/**
 * The root logger. Logs carry ids, methods and error names, never message texts or
 * personal data: a leaked log must not reveal what a migrant asked.
 */
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: { paths: ['text', '*.text', 'payload', '*.payload', 'message', 'update'], censor: '[redacted]' },
  });
}
