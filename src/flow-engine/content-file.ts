/**
 * One content file of `flows/` (a flow, the facts, the rules, a document template): YAML
 * through the cache, then its schema. Every problem names the file and where in it, as a
 * FlowDefinitionError, so the bot refuses to start and `flows:check` lists them. Callers
 * wrap it, with their own further checks, in `checkedContent` (lib/checked-content-cache.ts),
 * so the bundle keeps each file's checked value once.
 */
import { parseYaml } from '../lib/yaml-cache.js';
import { FlowDefinitionError } from './errors.js';

interface Schema<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** `where` words a problem's path in the file (a flow names its nodes); the default joins it with dots. */
export function parseContentFile<T>(file: string, source: string, schema: Schema<T>, where: (path: string[]) => string = (path) => path.join('.')): T {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (err) {
    throw new FlowDefinitionError(file, [`not valid YAML: ${(err as Error).message}`]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new FlowDefinitionError(file, parsed.error.issues.map((i) => `${where(i.path.map(String)) || '(top)'}: ${i.message}`));
  return parsed.data;
}
