/**
 * The staff web console (lawyers' queue, staff alerts, flow diagrams): static
 * files served by Fastify, talking only to the admin API with the user's token.
 * No requests to outside hosts: every asset is served from here.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Mermaid, served from our own node_modules (no CDN), to draw the flow diagrams. */
const MERMAID = fileURLToPath(new URL('../../node_modules/mermaid/dist/mermaid.min.js', import.meta.url));

export async function registerConsoleRoutes(app: FastifyInstance) {
  app.get('/console', (_req, reply) => reply.redirect('/console/'));
  app.get('/console/vendor/mermaid.min.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=86400').send(await readFile(MERMAID)),
  );
  app.get<{ Params: { '*': string } }>('/console/*', async (req, reply) => {
    const name = req.params['*'] || 'index.html';
    // Only plain file names from the console folder: no paths, no dot-files.
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) return reply.code(404).send({ error: 'not found' });
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (!type) return reply.code(404).send({ error: 'not found' });
    try {
      return reply.type(type).header('cache-control', 'no-cache').send(await readFile(WEB_DIR + name));
    } catch {
      return reply.code(404).send({ error: 'not found' });
    }
  });
}
