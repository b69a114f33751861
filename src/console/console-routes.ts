/**
 * The staff web console (lawyers' queue, staff alerts, flow diagrams): static
 * files served by Fastify, talking only to the admin API with the user's token.
 * No requests to outside hosts: every asset is served from here.
 */
import { createReadStream } from 'node:fs';
import { repoPath } from '../lib/repo-path.js';
import type { FastifyInstance } from 'fastify';
import { WEB_BUILD_DIR } from '../http/web-build.js';
import { sendWebFile } from '../http/web-file.js';

const WEB_DIR = repoPath('src/console/web/');
/** The console's script, bundled from web-src/ by scripts/build-web.mjs. */
const BUILT = `${WEB_BUILD_DIR}console/`;
const BUILT_FILES = new Set(['console.js', 'console.js.map']);

/** Mermaid, served from our own node_modules (no CDN), to draw the flow diagrams. */
const MERMAID = repoPath('node_modules/mermaid/dist/mermaid.min.js');

export async function registerConsoleRoutes(app: FastifyInstance) {
  app.get('/console', (_req, reply) => reply.redirect('/console/'));
  app.get('/console/vendor/mermaid.min.js', async (_req, reply) =>
    // 3.5 MB: streamed, not read into memory for each request.
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=86400').send(createReadStream(MERMAID)),
  );
  app.get<{ Params: { '*': string } }>('/console/*', async (req, reply) => {
    const name = req.params['*'] || 'index.html';
    // Only plain file names from the console folder: no paths, no dot-files.
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) return reply.code(404).send({ error: 'not found' });
    return sendWebFile(reply, BUILT_FILES.has(name) ? BUILT : WEB_DIR, name);
  });
}
