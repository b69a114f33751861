/**
 * Serves a file of one of our static pages (the browser chat, the staff console):
 * known types only, revalidated on every load because the pages change with the
 * code, and a 404 with a message for anything else.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** `name` must already be a plain file name (callers check it); `dir` is the page's folder. */
export async function sendWebFile(reply: FastifyReply, dir: string, name: string): Promise<FastifyReply> {
  const type = TYPES[extname(name)];
  if (!type) return reply.code(404).send({ error: 'not found' });
  try {
    // Read first: a content type set before a missing file would make the 404's JSON a 500.
    const body = await readFile(join(dir, name));
    return reply.type(type).header('cache-control', 'no-cache').send(body);
  } catch {
    // A built script that is missing means the pages were not built yet.
    if (dir.includes('dist')) return reply.code(404).send({ error: `${name} is not built: run npm run build` });
    return reply.code(404).send({ error: 'not found' });
  }
}
