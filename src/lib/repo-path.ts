/**
 * Paths of files the server reads from the repository at run time (migrations, built
 * pages, page templates, Mermaid). The same module runs from `src/` under tsx and from
 * `dist/server/` compiled, at different depths, so paths are found from the repository's
 * root (the nearest folder up with a package.json) instead of counted in `../`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the repository, e.g. `repoPath('drizzle')`; a trailing `/` is kept. */
export const repoPath = (relative: string): string => join(REPO_ROOT, relative) + (relative.endsWith('/') ? '/' : '');
