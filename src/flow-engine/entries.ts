/**
 * Entries: free text about one situation inside a flow ("I paid the patent late")
 * starts the walk at that situation instead of the flow's first question.
 *
 * A walk still begins at the flow's start, so every question on the way that the user's
 * facts do not answer is asked, and every answer a later node reads is given, exactly as
 * the graph check proves for an ordinary walk. What an entry adds is a set of *preset*
 * choices: the options on the shortest path from the start to the entry's node. The
 * engine takes a preset option at a choice the user's facts do not answer, as it takes a
 * known fact, and shows it with a "change" button. The entry is kept in the run's answers
 * under {@link ENTRY_KEY}, so presets survive a question asked on the way.
 */
import type { Flow } from './schema.js';

/** Where a run started from an entry keeps the entry's node (not a node id: ids are kebab-case). */
export const ENTRY_KEY = '@entry';

type NodeEdges = { target: string; option?: string }[];

function edgesWithOptions(flow: Flow, id: string): NodeEdges {
  const node = flow.nodes[id];
  if (!node) return [];
  const targets = (next: string | { goto: string }[]) => (typeof next === 'string' ? [next] : next.map((r) => r.goto));
  switch (node.type) {
    case 'choice':
      return node.options.flatMap((o) => targets(o.next).map((target) => ({ target, option: o.id })));
    case 'date':
    case 'datetime':
    case 'number':
    case 'branch':
      return targets(node.next).map((target) => ({ target }));
    default:
      return [];
  }
}

/**
 * The choices on the shortest path from the start to `node` (choice node → option id;
 * choices bound to facts are left out),
 * or undefined when `node` cannot be reached. A branch's conditions may still route a
 * particular user elsewhere; they then see the question their answers lead to.
 */
export function entryPresets(flow: Flow, node: string): Record<string, string> | undefined {
  const cameFrom = new Map<string, { from: string; option?: string }>();
  const queue = [flow.start];
  const seen = new Set(queue);
  while (queue.length) {
    const id = queue.shift()!;
    if (id === node) break;
    for (const e of edgesWithOptions(flow, id)) {
      if (seen.has(e.target)) continue;
      seen.add(e.target);
      cameFrom.set(e.target, { from: id, option: e.option });
      queue.push(e.target);
    }
  }
  if (!seen.has(node)) return undefined;
  const presets: Record<string, string> = {};
  for (let at = node; at !== flow.start; ) {
    const step = cameFrom.get(at)!;
    const from = flow.nodes[step.from];
    // A choice bound to a fact is the user's own statement: asked, or taken from the fact.
    if (step.option && from?.type === 'choice' && !from.fact) presets[step.from] = step.option;
    at = step.from;
  }
  return presets;
}

/**
 * Lower case, ё as е: how both keywords and texts are compared. Lower-casing the
 * Azerbaijani «İ» leaves a combining dot (U+0307) after the «i»; it is dropped so
 * "İşdə" matches the stem "işdə".
 */
export function normaliseForMatch(text: string): string {
  return text.toLowerCase().replace(/\u0307/g, '').replace(/ё/g, 'е');
}

/** Compiled stems of each keyword: a stem must begin a word ("ватан" is not found in "ҳамватанон"). */
const stemCache = new Map<string, RegExp[]>();

function stemsOf(keyword: string): RegExp[] {
  let stems = stemCache.get(keyword);
  if (!stems) {
    stems = normaliseForMatch(keyword)
      .split(/\s+/)
      .filter(Boolean)
      .map((s) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u'));
    stemCache.set(keyword, stems);
  }
  return stems;
}

/** A keyword of word stems matches when every stem begins a word of the (normalised) text, in any order. */
export function keywordMatches(normalisedText: string, keyword: string): boolean {
  const stems = stemsOf(keyword);
  return stems.length > 0 && stems.every((s) => s.test(normalisedText));
}
