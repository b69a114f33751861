/**
 * The web app's tests need its build (dist/app). `npm ci` makes it through
 * `prepare`; a checkout that skipped scripts gets it here, once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function ensureAppBuilt(): void {
  if (!existsSync('dist/app/app.js') || !existsSync('dist/app/sw.js')) execFileSync(process.execPath, ['scripts/build-app.mjs'], { stdio: 'ignore' });
}
