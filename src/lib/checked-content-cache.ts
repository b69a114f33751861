/**
 * Content files already checked by this build, kept on disk as the value their schema gave.
 *
 * Why: checking the flows, facts, rules and templates against their schemas (zod) was a
 * quarter of a cold start (issue 18), repeated at every restart on the same files by the
 * same code. Only the bundle `npm start` runs uses it: its folder is inside the bundle's
 * (`dist/server/bundle/checked-content/`), which every build empties, so a value is only
 * ever reused by the code that checked it. A file is found by the hash of its name and
 * text: an edited file is a new key, checked again, and its problems reported as always.
 * Only a value JSON carries exactly is kept (checked with `isDeepStrictEqual` when written:
 * no `undefined` fields, dates or maps); anything unreadable is a miss. Tests and `npm run
 * dev` run without it, so every check runs there.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

let folder: string | undefined;

/** Turns the cache on in `dir` (undefined: off). */
export function useCheckedContentCache(dir: string | undefined): void {
  folder = dir;
}

/** `check()`'s value for this file and text: from the cache when this build checked them before. */
export function checkedContent<T>(file: string, source: string, check: () => T): T {
  if (!folder) return check();
  const path = join(folder, `${createHash('sha256').update(file).update('\0').update(source).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {}
  const value = check();
  try {
    const json = JSON.stringify(value);
    if (json !== undefined && isDeepStrictEqual(JSON.parse(json), value)) {
      mkdirSync(folder, { recursive: true });
      // Written whole, then renamed: another process never reads half a file.
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, json);
      renameSync(tmp, path);
    }
  } catch {}
  return value;
}
