/**
 * Content files already checked by this build, kept on disk as the value their schema gave.
 *
 * Why: checking the flows, facts, rules and templates against their schemas (zod) was a
 * quarter of a cold start (issue 18), repeated at every restart on the same files by the
 * same code. Only the bundle `npm start` runs uses it: its folder is inside the bundle's
 * (`dist/server/bundle/checked-content/`), which every build empties, so a value is only
 * ever reused by the code that checked it. A file is found by the hash of its name and
 * text (and of what it was checked against): an edited file is a new key, checked again,
 * and its problems reported as always. Only values JSON carries exactly are kept
 * (lib/json-file-cache.ts). Tests and `npm run dev` run without it, so every check runs there.
 */
import { cachedJson } from './json-file-cache.js';

let folder: string | undefined;

/** Turns the cache on in `dir` (undefined: off). */
export function useCheckedContentCache(dir: string | undefined): void {
  folder = dir;
}

/**
 * `check()`'s value for this file and text: from the cache when this build checked them before.
 * `against` is what else the check depends on (the facts a flow or template is checked
 * against); it is part of the key, written as JSON once per object.
 */
export function checkedContent<T>(file: string, source: string, check: () => T, against?: object): T {
  if (!folder) return check();
  return cachedJson(folder, against ? [file, source, keyOf(against)] : [file, source], check);
}

const keys = new WeakMap<object, string>();
function keyOf(value: object): string {
  let key = keys.get(value);
  if (key === undefined) {
    key = JSON.stringify(value instanceof Map ? [...value] : value);
    keys.set(value, key);
  }
  return key;
}
