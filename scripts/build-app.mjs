/**
 * Builds the public web app (issue 19) into dist/app/ (git-ignored): the app's
 * TypeScript modules bundled and minified by esbuild, the service worker, the page,
 * the styles, the manifest and the icons (PNG for home screens, from icon.svg). Prints each file's size raw and gzipped,
 * and the first load's total (the budget is 150 KB compressed).
 *
 *   node scripts/build-app.mjs
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const SRC = 'src/webapp/client';
const OUT = 'dist/app';
/** What a first visit downloads (strings.json comes from the server, measured by the tests). */
const FIRST_LOAD = ['index.html', 'app.js', 'app.css', 'manifest.webmanifest', 'icon.svg', 'sw.js'];

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const common = { bundle: true, minify: true, target: ['es2020', 'chrome80', 'safari14', 'firefox78'], legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: [join(SRC, 'main.ts')], outfile: join(OUT, 'app.js'), format: 'esm' });
await build({ ...common, entryPoints: [join(SRC, 'app.css')], outfile: join(OUT, 'app.css') });
for (const f of ['index.html', 'manifest.webmanifest', 'icon.svg', 'icon-180.png', 'icon-192.png', 'icon-512.png']) copyFileSync(join(SRC, f), join(OUT, f));

// The service worker's cache is named after the build, so a new build replaces the old cache.
const hash = createHash('sha256');
for (const f of readdirSync(OUT).sort()) hash.update(readFileSync(join(OUT, f)));
await build({
  ...common,
  entryPoints: ['src/webapp/client-sw/sw.ts'],
  outfile: join(OUT, 'sw.js'),
  format: 'iife',
  define: { BUILD_ID: JSON.stringify(hash.digest('hex').slice(0, 12)) },
});

let total = 0;
const lines = [];
for (const f of FIRST_LOAD) {
  const body = readFileSync(join(OUT, f));
  const gz = gzipSync(body, { level: 9 }).length;
  total += gz;
  lines.push(`  ${f.padEnd(22)} ${String(body.length).padStart(7)} B  ${String(gz).padStart(6)} B gzip`);
}
writeFileSync(join(OUT, 'sizes.json'), `${JSON.stringify({ firstLoadGzipBytes: total }, null, 2)}\n`);
console.log(`web app built in ${OUT}:\n${lines.join('\n')}\n  first load (without strings.json): ${(total / 1024).toFixed(1)} KB gzip`);
