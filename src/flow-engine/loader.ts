/**
 * Loads and validates every flow in a directory. The bot refuses to start on an
 * invalid flow, and the error names the file, the node and the problem.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkedContent } from '../lib/checked-content-cache.js';
import { parseContentFile } from './content-file.js';
import { FlowDefinitionError } from './errors.js';
import { checkFlowGraph, type ExternalFacts } from './graph-check.js';
import { type Flow, flowSchema } from './schema.js';
import { compareText } from '../lib/compare-text.js';

export interface FlowSet {
  /** Flows in menu order. */
  readonly list: Flow[];
  get(id: string): Flow | undefined;
  /**
   * Swaps in freshly loaded flows (local mode's "reload" for content authors). Runs in
   * progress are reconciled with the new versions as after any flow edit.
   */
  replace(flows: Flow[]): void;
}

/** Files in `flows/` that are flows (scenario files sit beside them). */
export function isFlowFile(name: string): boolean {
  return name.endsWith('.yaml') && !name.endsWith('.scenarios.yaml') && name !== 'facts.yaml' && name !== 'rules.yaml';
}

/** Parses and checks one flow file's text (the bundle reuses a check its build did: the facts it was checked against are part of the key). */
export function parseFlow(file: string, source: string, external?: ExternalFacts): Flow {
  return checkedContent(
    file,
    source,
    () => {
      const flow = parseContentFile(file, source, flowSchema, (path) =>
        path[0] === 'nodes' && path[1] ? `node "${path[1]}" ${path.slice(2).join('.')}` : path.join('.'),
      );
      const problems = checkFlowGraph(flow, external);
      if (problems.length) throw new FlowDefinitionError(file, problems);
      return flow;
    },
    external,
  );
}

export function createFlowSet(flows: Flow[]): FlowSet {
  let list: Flow[] = [];
  let byId = new Map<string, Flow>();
  const set: FlowSet = {
    get list() {
      return list;
    },
    get: (id) => byId.get(id),
    replace(next) {
      list = [...next].sort((a, b) => a.order - b.order || compareText(a.id, b.id));
      byId = new Map(list.map((f) => [f.id, f]));
    },
  };
  set.replace(flows);
  return set;
}

/** Reads every flow file in `dir`. Throws FlowDefinitionError listing every problem of the first bad file. */
export async function loadFlows(dir: string, external?: ExternalFacts): Promise<FlowSet> {
  const names = (await readdir(dir)).filter(isFlowFile).sort();
  const flows: Flow[] = [];
  for (const name of names) {
    const flow = parseFlow(name, await readFile(join(dir, name), 'utf8'), external);
    if (flows.some((f) => f.id === flow.id)) throw new FlowDefinitionError(name, [`duplicate flow id "${flow.id}"`]);
    flows.push(flow);
  }
  if (!flows.length) throw new FlowDefinitionError(dir, ['no flow files found']);
  const linkProblems = checkFlowLinks(flows);
  if (linkProblems.length) throw new FlowDefinitionError(linkProblems[0]!.file, linkProblems.map((p) => p.problem));
  return createFlowSet(flows);
}

/** Links between flows ("see also" buttons) point at a flow that exists and, when they name a node, at one of its entries. */
export function checkFlowLinks(flows: Flow[]): { file: string; problem: string }[] {
  const byId = new Map(flows.map((f) => [f.id, f]));
  const out: { file: string; problem: string }[] = [];
  for (const flow of flows) {
    for (const [id, node] of Object.entries(flow.nodes)) {
      if (node.type !== 'outcome') continue;
      for (const link of node.links) {
        const target = byId.get(link.flow);
        const file = `${flow.id}.yaml`;
        if (!target) out.push({ file, problem: `node "${id}": links to unknown flow "${link.flow}"` });
        else if (link.node && !target.entries.some((e) => e.node === link.node)) {
          out.push({ file, problem: `node "${id}": links to "${link.flow}" at "${link.node}", which is not one of its entries` });
        }
      }
    }
  }
  return out;
}
