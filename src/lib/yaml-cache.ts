/**
 * YAML parsing with a cache on disk, keyed by the text's hash: parsing the flows, facts
 * and rules with `yaml` took most of a cold start (0.3–0.7 s), reading the same data as
 * JSON takes milliseconds. A changed file has another hash, so it is parsed again: the
 * cache can only be stale if it is edited by hand. Content that JSON cannot carry
 * (non-finite numbers) is not cached (lib/json-file-cache.ts). The build warms the cache
 * (scripts/build-server.mjs); where the folder is not writable (a read-only image) parsing
 * simply runs each time.
 */
import { createRequire } from 'node:module';
import { cachedJson } from './json-file-cache.js';
import { repoPath } from './repo-path.js';

export const YAML_CACHE_DIR = repoPath('dist/yaml-cache');

/** `parse(source)` of the `yaml` package, the same value, from the cache when it has it. */
export function parseYaml(source: string): unknown {
  return cachedJson(YAML_CACHE_DIR, [source], () => {
    // The `yaml` package is loaded only on a cache miss: a start from a warm cache never loads it.
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    return parse(source) as unknown;
  });
}
