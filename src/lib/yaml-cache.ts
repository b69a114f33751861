/**
 * YAML parsing with a cache on disk, keyed by the text's hash: parsing the flows, facts
 * and rules with `yaml` took most of a cold start (0.3–0.7 s), reading the same data as
 * JSON takes milliseconds. A changed file has another hash, so it is parsed again: the
 * cache can only be stale if it is edited by hand. Content that JSON cannot carry
 * (non-finite numbers) is not cached. The build warms the cache (scripts/build-server.mjs);
 * where the folder is not writable (a read-only image) parsing simply runs each time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoPath } from './repo-path.js';

export const YAML_CACHE_DIR = repoPath('dist/yaml-cache');

/** `parse(source)` of the `yaml` package, the same value, from the cache when it has it. */
export function parseYaml(source: string): unknown {
  const file = join(YAML_CACHE_DIR, `${createHash('sha256').update(source).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {}
  // The `yaml` package is loaded only on a cache miss: a start from a warm cache never loads it.
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const value: unknown = parse(source);
  let safe = true;
  const json = JSON.stringify(value, (_k, v) => {
    if ((typeof v === 'number' && !Number.isFinite(v)) || typeof v === 'bigint' || v instanceof Map || v instanceof Set) safe = false;
    return typeof v === 'bigint' ? null : v;
  });
  if (safe && json !== undefined) {
    try {
      mkdirSync(YAML_CACHE_DIR, { recursive: true });
      // Written whole, then renamed: another process never reads half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, json);
      renameSync(tmp, file);
    } catch {}
  }
  return value;
}
