/**
 * Where the browser pages' built scripts live: scripts/build-web.mjs bundles the
 * TypeScript modules of the console and the local chat into dist/web/ (git-ignored)
 * at install, `npm run build`, `npm start` and `npm test`.
 */
import { fileURLToPath } from 'node:url';

export const WEB_BUILD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
