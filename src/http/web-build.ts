/**
 * Where the browser pages' built scripts live: scripts/build-web.mjs bundles the
 * TypeScript modules of the console and the local chat into dist/web/ (git-ignored)
 * at install, `npm run build`, `npm start` and `npm test`.
 */
import { repoPath } from '../lib/repo-path.js';

export const WEB_BUILD_DIR = repoPath('dist/web/');
