/**
 * Structural checks a schema cannot express: targets exist, every node is reachable,
 * no loops, every reference to an earlier answer is answered on every path that
 * reaches it, texts are valid Telegram HTML, callback data fits in 64 bytes.
 */
import { checkTelegramHtml } from '../lib/telegram-html.js';
import { encodeFlowChoice } from './callback-codec.js';
import type { Condition, DateExpr, Flow, FlowNode, Next } from './schema.js';

/** Most paths we walk when checking answer references; flows are small trees. */
const MAX_PATHS = 20_000;

function targetsOf(next: Next): string[] {
  return typeof next === 'string' ? [next] : next.map((r) => r.goto);
}

export function edgesOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'choice':
      return node.options.flatMap((o) => targetsOf(o.next));
    case 'date':
    case 'datetime':
    case 'number':
    case 'branch':
      return targetsOf(node.next);
    default:
      return [];
  }
}

type Ref = { node: string; kind: 'choice' | 'date' | 'number'; options?: string[]; soft?: boolean };

/** A date-time answer or fact can be read where a date is. */
const isKind = (actual: string, wanted: string) => actual === wanted || (wanted === 'date' && actual === 'datetime');

function refsOfExpr(e: DateExpr | string, out: Ref[]) {
  const expr = typeof e === 'string' ? { from: e, ops: [] } : e;
  if (typeof expr.from === 'string' && expr.from !== 'today') out.push({ node: expr.from, kind: 'date' });
  const visit = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if ('answer' in v && typeof v.answer === 'string') out.push({ node: v.answer, kind: 'number' });
    else for (const x of Object.values(v)) visit(x);
  };
  for (const op of expr.ops) visit(op);
}

function refsOfCondition(c: Condition, out: Ref[]) {
  if ('all' in c) for (const x of c.all) refsOfCondition(x, out);
  else if ('any' in c) for (const x of c.any) refsOfCondition(x, out);
  else if ('not' in c) refsOfCondition(c.not, out);
  else if ('in' in c) out.push({ node: c.answer, kind: 'choice', options: c.in, soft: true });
  else if ('known' in c) return;
  else if ('number' in c) out.push({ node: c.number, kind: 'number', soft: true });
  else if ('days_since' in c) refsOfExpr(c.days_since, out);
  else refsOfExpr(c.days_until, out);
}

function conditionsOf(next: Next): Condition[] {
  return typeof next === 'string' ? [] : next.flatMap((r) => (r.if ? [r.if] : []));
}

/** Answers a node reads: in its routing conditions, or in its computed dates. */
function refsOf(node: FlowNode): Ref[] {
  const out: Ref[] = [];
  if (node.type === 'choice') for (const o of node.options) for (const c of conditionsOf(o.next)) refsOfCondition(c, out);
  if (node.type === 'date' || node.type === 'datetime' || node.type === 'number' || node.type === 'branch') {
    for (const c of conditionsOf(node.next)) refsOfCondition(c, out);
  }
  if (node.type === 'outcome') for (const d of node.dates) refsOfExpr(d.date, out);
  return out;
}

/**
 * Facts and derived facts of the situation model that flows may read besides their own
 * answers, with their kind (and options for choices). The model's own check makes sure
 * they exist; here they only stand in for nodes.
 */
export type ExternalFacts = ReadonlyMap<string, { kind: 'choice' | 'date' | 'number' | 'records' | 'datetime'; options?: string[] }>;

/** Returns every problem found, each naming the node. */
export function checkFlowGraph(flow: Flow, external: ExternalFacts = new Map()): string[] {
  const problems: string[] = [];
  const at = (id: string, msg: string) => problems.push(`node "${id}": ${msg}`);
  if (!flow.nodes[flow.start]) problems.push(`start node "${flow.start}" does not exist`);

  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const t of edgesOf(node)) if (!flow.nodes[t]) at(id, `unknown target "${t}"`);
    for (const ref of refsOf(node)) {
      const target = flow.nodes[ref.node];
      const fact = external.get(ref.node);
      if (!target && fact) {
        if (!isKind(fact.kind, ref.kind)) at(id, `refers to fact "${ref.node}" as a ${ref.kind}, but it is a ${fact.kind}`);
        else for (const o of ref.options ?? []) if (!fact.options?.includes(o)) at(id, `fact "${ref.node}" has no option "${o}"`);
      } else if (!target) at(id, `refers to unknown node "${ref.node}"`);
      else if (!isKind(target.type, ref.kind)) at(id, `refers to "${ref.node}" as a ${ref.kind} answer, but it is a ${target.type} node`);
      else if (ref.options && target.type === 'choice') {
        for (const o of ref.options) {
          if (!target.options.some((x) => x.id === o)) at(id, `"${ref.node}" has no option "${o}"`);
        }
      }
    }
    if (node.type === 'outcome') {
      const ids = node.dates.map((d) => d.id);
      if (new Set(ids).size !== ids.length) at(id, 'two computed dates share an id');
      for (const d of node.dates) {
        if (d.paid_months && flow.nodes[d.paid_months]?.type !== 'number') at(id, `date "${d.id}": paid_months "${d.paid_months}" is not a number node`);
      }
      node.dates.forEach((d, i) => {
        if (typeof d.date.from === 'object' && !ids.slice(0, i).includes(d.date.from.date)) {
          at(id, `date "${d.id}" builds on "${d.date.from.date}", which is not computed before it`);
        }
      });
    }
    if (node.type === 'choice') {
      const optionIds = node.options.map((o) => o.id);
      if (new Set(optionIds).size !== optionIds.length) at(id, 'two options share an id');
      const data = encodeFlowChoice(flow.id, flow.version, id, node.options.length - 1);
      if (Buffer.byteLength(data) > 64) at(id, `callback data "${data}" is longer than Telegram's 64 bytes`);
    }
    const texts: [string, string][] = [];
    if ('text' in node) texts.push(['text', node.text]);
    if (node.type === 'choice') for (const o of node.options) texts.push([`option "${o.id}"`, o.text]);
    if (node.type === 'outcome' && node.uncertain) texts.push(['uncertain', node.uncertain]);
    for (const [field, t] of texts) for (const p of checkTelegramHtml(t)) at(id, `${field}: ${p}`);
  }
  const entryNodes = flow.entries.map((e) => e.node);
  if (new Set(entryNodes).size !== entryNodes.length) problems.push('two entries start at the same node');
  for (const e of flow.entries) {
    const node = flow.nodes[e.node];
    if (!node) problems.push(`entry "${e.node}": no such node`);
    else if (node.type === 'branch') problems.push(`entry "${e.node}": a branch shows nothing; start the entry at the question or answer it leads to`);
    else if (e.node === flow.start) problems.push(`entry "${e.node}": is the flow's start; use the flow's keywords instead`);
    for (const p of checkTelegramHtml(e.title)) problems.push(`entry "${e.node}" title: ${p}`);
  }
  if (Buffer.byteLength(`fn:${flow.id}:${'x'.repeat(24)}`) > 64) problems.push('flow id too long for entry buttons');
  if (problems.length) return problems;

  // Reachability and loops: depth-first from the start.
  const seen = new Set<string>();
  const onPath = new Set<string>();
  const visit = (id: string) => {
    if (onPath.has(id)) {
      problems.push(`node "${id}": is part of a loop`);
      return;
    }
    if (seen.has(id)) return;
    seen.add(id);
    onPath.add(id);
    for (const t of edgesOf(flow.nodes[id]!)) visit(t);
    onPath.delete(id);
  };
  visit(flow.start);
  for (const id of Object.keys(flow.nodes)) if (!seen.has(id)) at(id, 'is unreachable from the start');
  if (problems.length) return problems;

  // Every answer a node reads is given on every path that reaches it.
  let paths = 0;
  const reported = new Set<string>();
  const walk = (id: string, answered: Set<string>) => {
    if (++paths > MAX_PATHS) return;
    const node = flow.nodes[id]!;
    for (const ref of refsOf(node)) {
      // A node's own answer is known when its routing runs. A condition on a choice
      // or number nobody was asked is simply false; only date arithmetic needs its
      // inputs, so only those must be asked on every path.
      if (ref.node === id || answered.has(ref.node) || ref.soft || (!flow.nodes[ref.node] && external.has(ref.node))) continue;
      const key = `${id}/${ref.node}`;
      if (!reported.has(key)) {
        reported.add(key);
        at(id, `uses the answer to "${ref.node}", which some paths reach without asking`);
      }
    }
    const next = node.type === 'choice' || node.type === 'date' || node.type === 'datetime' || node.type === 'number' ? new Set([...answered, id]) : answered;
    for (const t of new Set(edgesOf(node))) walk(t, next);
  };
  walk(flow.start, new Set());
  if (paths > MAX_PATHS) problems.push(`more than ${MAX_PATHS} paths: split the flow`);
  return problems;
}
