/**
 * A NUL character anywhere in a request (body, query or path) is answered 400 with
 * the field named. PostgreSQL cannot store NUL in text, and Telegram would not show
 * it; left alone it surfaced as a 500 from deep in a template, reply, note or alert.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './auth.js';

/** The path of the first string holding NUL (`body.texts.ru`), if any. */
export function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (depth > 20 || value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\0')) return `${path}.${k.replaceAll('\0', '\\0')}`;
    const found = findNul(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function rejectNul(app: FastifyInstance) {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    const where = findNul(req.params, 'params') ?? findNul(req.query, 'query') ?? findNul(req.body, 'body');
    if (where) throw new HttpError(400, `${where} contains a NUL character (\\u0000), which cannot be stored; remove it and send again`);
  });
}
