/**
 * `dist/server/bundle/start.cjs`, what `npm start` and the Docker image run (copied there by
 * scripts/build-server.mjs): loads the bundled server `main.cjs` with a V8 code cache.
 * CommonJS itself: Node starts a CommonJS file a few milliseconds sooner than an ES module.
 *
 * Why: compiling the 3 MB bundle, and then each function the start calls, was about a fifth of
 * a cold start (issue 18). Node 22 caches compiled code itself (`module.enableCompileCache()`);
 * Node 20, which these machines run, does not, so this does what it does for one file: the
 * bundle is compiled with `vm.Script` from the cached data next to it, and the cache is
 * written when there was none (or V8 refused it: another Node, another bundle, other flags)
 * once the process has run a while and again when it exits, so it holds the functions a start
 * and the first answers compile: in one run of 7 starts each, 1,059 ms to the first answer with
 * it against 1,130 ms with only the build's cache (what compiling alone compiles; 0.45 MB
 * against 2.2 MB). A cache V8 refuses costs nothing but the compile it would have saved; a
 * folder that is not writable (a read-only image) only means the build's cache.
 *
 * The bundle has no `import()` (the build turns them into `require()` and refuses one left):
 * Node 20 loses a cached script's dynamic-import callback.
 */
'use strict';
const { existsSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const dir = __dirname;
const file = join(dir, 'main.cjs');
const cacheFile = `${file}.v8cache`;
/** Present once a cache was written by a process that ran (not only compiled at build time). */
const ranMarker = `${cacheFile}.ran`;

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {}
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });

function writeCache() {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
    writeFileSync(ranMarker, '');
  } catch {}
}

if (!cachedData || script.cachedDataRejected || !existsSync(ranMarker)) {
  rmSync(ranMarker, { force: true });
  setTimeout(writeCache, 10_000).unref();
  process.once('exit', writeCache);
}

const bundle = new Module(file);
bundle.filename = file;
bundle.paths = Module._nodeModulePaths(dir);
script.runInThisContext()(bundle.exports, Module.createRequire(file), bundle, file, dir);
