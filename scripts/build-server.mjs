/**
 * Compiles the server's TypeScript (src/, without the browser pages) to JavaScript in
 * dist/server/ (git-ignored) with tsc, so `npm start` runs plain node: compiling at
 * every start cost two thirds of the cold start. Then bundles it into dist/server/bundle/
 * (esbuild), what `npm start` runs. tsx stays for development (`npm run dev`).
 *
 *   node scripts/build-server.mjs            clean build
 *   node scripts/build-server.mjs --if-stale only when a file in src/ is newer than the build
 *
 * Without TypeScript installed (a production install, `npm ci --omit=dev`) an existing
 * build is kept; the Dockerfile builds in a stage that has it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const OUT = 'dist/server';
const STAMP = join(OUT, '.built');
const BUNDLE = join(OUT, 'bundle');
const ifStale = process.argv.includes('--if-stale');

/** Newest modification time of the compiled sources (and the build settings). */
function newest(dir, skip) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (skip.has(p)) continue;
    if (e.isDirectory()) t = Math.max(t, newest(p, skip));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

if (ifStale && existsSync(STAMP) && existsSync(join(BUNDLE, 'main.js'))) {
  const skip = new Set(['src/console/web-src', 'src/local/web-src', 'src/webapp/client']);
  const sources = Math.max(newest('src', skip), statSync('tsconfig.build.json').mtimeMs, statSync('tsconfig.json').mtimeMs);
  if (sources <= statSync(STAMP).mtimeMs) process.exit(0);
}

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(STAMP)) {
    console.warn('build-server: TypeScript is not installed; keeping the existing dist/server/');
    process.exit(0);
  }
  console.error('build-server: TypeScript is not installed and dist/server/ is missing: run npm install (with dev dependencies)');
  process.exit(1);
}
if (!ifStale) rmSync(OUT, { recursive: true, force: true });
const t0 = Date.now();
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
// One file to load instead of several hundred: `npm start` runs dist/server/bundle/main.js,
// the compiled server and its libraries bundled by esbuild (Node's module loader took over half
// of a cold start). Libraries that read their own files at run time stay outside (PGlite's
// WebAssembly, Swagger UI's pages, pino's worker transports, Fastify Swagger's package.json);
// a dynamic import stays a separate chunk, loaded only when used (web-push, the polling runner).
const esbuild = await import('esbuild');
rmSync(BUNDLE, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(OUT, 'main.js')],
  outdir: BUNDLE,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'error',
  external: ['@electric-sql/pglite', '@fastify/swagger-ui', '@fastify/swagger', 'pino', 'thread-stream', 'mermaid', 'grammy', '@grammyjs/auto-retry', '@grammyjs/runner', 'node-fetch', 'abort-controller'],
  // Bundled CommonJS libraries call require() for Node's own modules.
  banner: { js: "import { createRequire as __pravoRequire } from 'node:module'; const require = __pravoRequire(import.meta.url);" },
});
// Warm the YAML cache (src/lib/yaml-cache.ts) with the content a start reads.
const yamlFiles = ['flows', 'config'].filter((d) => existsSync(d)).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => join(d, f)));
const { parseYaml } = await import(pathToFileURL(join(OUT, 'lib', 'yaml-cache.js')).href);
for (const f of yamlFiles) parseYaml(readFileSync(f, 'utf8'));
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
if (!process.argv.includes('--quiet')) console.log(`build-server: src/ compiled to ${OUT}/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
