/**
 * Compiles the server's TypeScript (src/, without the browser pages) to JavaScript in
 * dist/server/ (git-ignored) with tsc, so `npm start` runs plain node: compiling at
 * every start cost two thirds of the cold start. tsx stays for development (`npm run dev`).
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

if (ifStale && existsSync(STAMP)) {
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
// Warm the YAML cache (src/lib/yaml-cache.ts) with the content a start reads.
const yamlFiles = ['flows', 'config'].filter((d) => existsSync(d)).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => join(d, f)));
const { parseYaml } = await import(pathToFileURL(join(OUT, 'lib', 'yaml-cache.js')).href);
for (const f of yamlFiles) parseYaml(readFileSync(f, 'utf8'));
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
if (!process.argv.includes('--quiet')) console.log(`build-server: src/ compiled to ${OUT}/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
