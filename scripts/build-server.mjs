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
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import vm from 'node:vm';
import { join } from 'node:path';

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

if (ifStale && existsSync(STAMP) && existsSync(join(BUNDLE, 'start.cjs')) && existsSync(join(BUNDLE, 'main.cjs'))) {
  const skip = new Set(['src/console/web-src', 'src/local/web-src', 'src/webapp/client']);
  const sources = Math.max(newest('src', skip), ...['tsconfig.build.json', 'tsconfig.json', 'scripts/build-server.mjs', 'scripts/bundle-start.cjs', 'scripts/whatwg-url-stand-in.cjs'].map((f) => statSync(f).mtimeMs));
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
// One file to load instead of several hundred: `npm start` runs dist/server/bundle/start.cjs,
// a launcher (scripts/bundle-start.cjs) that loads the compiled server and its libraries bundled
// by esbuild into one CommonJS file, main.cjs, with a V8 code cache (Node's module loader took
// over half of a cold start, compiling the bundle a fifth of the rest). CommonJS because Node 20 can cache
// the compilation of a script, not of an ES module. Libraries that read their own files at run
// time stay outside (PGlite's WebAssembly, Swagger UI's pages, pino's worker transports); a
// dynamic import is only run when used (web-push, the polling runner, pdf-lib, Swagger UI).
// grammY, its plugins and node-fetch are inside (loading them from node_modules was a tenth of
// a start) with `keepNames`: node-fetch recognises an AbortSignal by its class's name, and a
// minified bundle never reached Telegram (tests/http/real-modes.test.ts starts the bundle).
const esbuild = await import('esbuild');
rmSync(BUNDLE, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(OUT, 'main.js')],
  outfile: join(BUNDLE, 'main.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'error',
  // Loaded from node_modules when first used, so their 1.7 MB are not read and checked at every
  // start: the PDF engine (the first document), web push (the first notification).
  external: ['@electric-sql/pglite', '@fastify/swagger-ui', 'thread-stream', 'mermaid', 'pdf-lib', '@pdf-lib/fontkit', 'web-push'],
  keepNames: true,
  // node-fetch's fallback for a Node without URL (see the stand-in).
  alias: { 'whatwg-url': './scripts/whatwg-url-stand-in.cjs' },
  // The sources find their files from import.meta.url: in the bundle, the bundle's own URL.
  define: { 'import.meta.url': '__pravoModuleUrl', __PRAVO_BUNDLE__: 'true' },
  // import() becomes require(): Node 20 loses a cached script's dynamic-import callback
  // (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING at PGlite's import on the second start), and
  // PGlite ships CommonJS too. tests/http/bundle-start.test.ts starts the bundle twice on PGlite.
  supported: { 'dynamic-import': false },
  banner: { js: "var __pravoModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
copyFileSync('scripts/bundle-start.cjs', join(BUNDLE, 'start.cjs'));
const bundleSource = readFileSync(join(BUNDLE, 'main.cjs'), 'utf8');
if (/[^\w$.]import\(/.test(bundleSource)) {
  console.error('build-server: the bundle still calls import(), which a cached script cannot run on Node 20');
  process.exit(1);
}
// A first code cache, of what compiling alone compiles (the first start after a build uses it;
// the launcher replaces it with a fuller one from a process that ran).
writeFileSync(join(BUNDLE, 'main.cjs.v8cache'), new vm.Script(Module.wrap(bundleSource), { filename: join(BUNDLE, 'main.cjs') }).createCachedData());
// Check the content once with this bundle (src/lib/checked-content-cache.ts): its starts then skip
// the schema checks of unchanged files, and the YAML cache (src/lib/yaml-cache.ts) holds every
// file a start reads. Run without the launcher, which would keep this run's code cache. A
// content problem is not the build's: the start reports it, as ever.
const checked = spawnSync(process.execPath, [join(BUNDLE, 'main.cjs'), '--check-content'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (checked.status !== 0) console.warn(`build-server: the content did not pass its checks; a start will say why.\n${checked.stderr.slice(-2000)}`);
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
if (!process.argv.includes('--quiet')) console.log(`build-server: src/ compiled to ${OUT}/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
