/**
 * A value kept on disk as JSON, found by the hash of what it was made from: the one mechanism
 * behind the YAML cache (lib/yaml-cache.ts) and the bundle's checked content
 * (lib/checked-content-cache.ts).
 *
 * Only a value JSON carries exactly is kept (compared with `isDeepStrictEqual` when written:
 * no `undefined` fields, non-finite numbers, dates or maps), so a value read back is the value
 * `make` gave. An entry that is missing or unreadable is a miss; a folder that cannot be
 * written (a read-only image) only means `make` runs each time. An entry is written whole,
 * then renamed: another process never reads half of one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** `make()`'s value, from `dir` when the same `parts` made it before. */
export function cachedJson<T>(dir: string, parts: readonly string[], make: () => T): T {
  const hash = createHash('sha256');
  parts.forEach((part, i) => {
    if (i) hash.update('\0');
    hash.update(part);
  });
  const path = join(dir, `${hash.digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {}
  const value = make();
  try {
    const json = JSON.stringify(value);
    if (json !== undefined && isDeepStrictEqual(JSON.parse(json), value)) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, json);
      renameSync(tmp, path);
    }
  } catch {}
  return value;
}
