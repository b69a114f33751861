/**
 * Serves the built web app (dist/app, made by `npm run build:app`) from memory,
 * gzip-compressed once, with an ETag so a returning phone downloads nothing that
 * did not change. Only the files the build writes are served.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'sw.js': 'text/javascript; charset=utf-8',
  'manifest.webmanifest': 'application/manifest+json; charset=utf-8',
  'icon.svg': 'image/svg+xml',
  'icon-180.png': 'image/png',
  'icon-192.png': 'image/png',
  'icon-512.png': 'image/png',
};

interface Loaded {
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

export function createStaticFiles(dir: string) {
  const cache = new Map<string, Promise<Loaded | undefined>>();
  const load = (name: string) => {
    let p = cache.get(name);
    if (!p) {
      p = readFile(join(dir, name)).then(
        (body) => ({ body, gzip: gzipSync(body, { level: 9 }), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` }),
        () => undefined,
      );
      cache.set(name, p);
      // A missing build is not cached: `npm run build:app` while running fixes it.
      void p.then((f) => f || cache.delete(name));
    }
    return p;
  };

  return {
    async send(req: FastifyRequest, reply: FastifyReply, name: string): Promise<FastifyReply> {
      const type = TYPES[name];
      const file = type ? await load(name) : undefined;
      if (!type || !file) {
        return reply.code(404).type('text/plain; charset=utf-8').send(type ? 'The web app is not built: run `npm run build:app`.' : 'not found');
      }
      // Revalidated on every load (the files change with the code), but a 304 costs nothing.
      reply.header('cache-control', 'no-cache').header('etag', file.etag).header('vary', 'accept-encoding').type(type);
      if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(file.gzip);
      return reply.send(file.body);
    },
  };
}
