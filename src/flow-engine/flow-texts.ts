/**
 * Where a flow's texts live in i18next. The Russian wording is written inline in the
 * flow file (lawyers review real text); every language, Russian included, is read
 * from `locales/<lng>/flows.json` under keys derived from flow, node and field.
 */
import type { Flow } from './schema.js';

export const FLOWS_NS = 'flows';

export const flowKeys = {
  title: (flowId: string) => `${flowId}.title`,
  text: (flowId: string, node: string) => `${flowId}.nodes.${node}.text`,
  option: (flowId: string, node: string, option: string) => `${flowId}.nodes.${node}.options.${option}`,
  dateLabel: (flowId: string, node: string, dateId: string) => `${flowId}.nodes.${node}.dates.${dateId}`,
  uncertain: (flowId: string, node: string) => `${flowId}.nodes.${node}.uncertain`,
  entry: (flowId: string, node: string) => `${flowId}.entries.${node}`,
};

type Tree = { [k: string]: string | Tree };

/** The Russian source texts of one flow, shaped as its `flows.json` entry. */
export function flowSourceTexts(flow: Flow): Tree {
  const nodes: Tree = {};
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type === 'branch') continue;
    const entry: Tree = { text: node.text.trimEnd() };
    if (node.type === 'choice') {
      entry.options = Object.fromEntries(node.options.map((o) => [o.id, o.text.trim()]));
    }
    if (node.type === 'outcome') {
      if (node.dates.length) entry.dates = Object.fromEntries(node.dates.map((d) => [d.id, d.label.trim()]));
      if (node.uncertain) entry.uncertain = node.uncertain.trimEnd();
    }
    nodes[id] = entry;
  }
  const out: Tree = { title: flow.title.trim(), nodes };
  if (flow.entries.length) out.entries = Object.fromEntries(flow.entries.map((e) => [e.node, e.title.trim()]));
  return out;
}

/** Flattens a nested locale object to dotted keys. */
export function flattenKeys(tree: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) flattenKeys(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof tree === 'string') {
    out.set(prefix, tree);
  }
  return out;
}

/** The `{{placeholders}}` a text uses, sorted, so locales can be compared. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((m) => m[1]!))].sort();
}
