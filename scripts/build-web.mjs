/**
 * Builds the browser pages (the staff console, local mode's chat) from their
 * TypeScript modules into dist/web/ (git-ignored), with esbuild. Runs from
 * `npm run build`, which `prepare` (npm install / npm ci), `npm start` and `npm test`
 * call, so a fresh clone works. Nothing is loaded from outside at run time.
 *
 * To add a page: add an entry below ({ in: its main module, out: path under dist/web }).
 */
import { build } from 'esbuild';

export const ENTRIES = [
  { in: 'src/console/web-src/main.ts', out: 'console/console' },
  { in: 'src/local/web-src/main.ts', out: 'local/chat' },
];

const started = performance.now();
await build({
  entryPoints: ENTRIES,
  outdir: 'dist/web',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  sourcemap: 'linked',
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
});
if (!process.argv.includes('--quiet')) console.log(`web pages built into dist/web in ${Math.round(performance.now() - started)} ms`);
