/**
 * Loads and checks the situation model: `flows/facts.yaml` and `flows/rules.yaml`.
 * The bot refuses to start on a bad model, and `flows:check` lists every problem with
 * the rule or fact it concerns: a rule reading a fact nobody can be asked, a type that
 * does not agree, a derived fact read before it is derived.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseContentFile } from '../flow-engine/content-file.js';
import { checkedContent } from '../lib/checked-content-cache.js';
import { FlowDefinitionError } from '../flow-engine/errors.js';
import type { ExternalFacts } from '../flow-engine/graph-check.js';
import type { Condition, Flow } from '../flow-engine/schema.js';
import { checkTelegramHtml } from '../lib/telegram-html.js';
import { type FactDef, factsFileSchema, type RuleDate, type RuleDef, rulesFileSchema } from './schema.js';

export const FACTS_FILE = 'facts.yaml';
export const RULES_FILE = 'rules.yaml';
/** Flow ids that would clash with the model's texts in `flows.json`. */
export const RESERVED_FLOW_IDS = ['facts', 'rules', 'documents'];

export interface SituationModel {
  facts: Record<string, FactDef>;
  rules: RuleDef[];
}

type Kind = 'choice' | 'date' | 'datetime' | 'number' | 'records';
interface Ref {
  id: string;
  kind?: Kind;
  options?: string[];
}

/** Parses both files' texts and checks the model on its own (flows are checked against it separately). */
export function parseModel(factsSource: string, rulesSource: string): SituationModel {
  const { facts } = checkedContent(FACTS_FILE, factsSource, () => parseContentFile(FACTS_FILE, factsSource, factsFileSchema));
  const { rules } = checkedContent(RULES_FILE, rulesSource, () => parseContentFile(RULES_FILE, rulesSource, rulesFileSchema));
  const model = { facts, rules };
  const problems = checkModel(model);
  if (problems.length) throw new FlowDefinitionError(RULES_FILE, problems);
  return model;
}

export async function loadModel(dir: string): Promise<SituationModel> {
  const [f, r] = await Promise.all([readFile(join(dir, FACTS_FILE), 'utf8'), readFile(join(dir, RULES_FILE), 'utf8')]);
  return parseModel(f, r);
}

function refsOfDate(d: RuleDate | { from: unknown; ops: unknown[] }, out: Ref[]) {
  if (typeof d.from === 'string' && d.from !== 'today') out.push({ id: d.from });
  const visit = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if ('answer' in v && typeof v.answer === 'string') out.push({ id: v.answer, kind: 'number' });
    else if ('records' in v && typeof v.records === 'string') out.push({ id: v.records, kind: 'records' });
    else for (const x of Object.values(v)) visit(x);
  };
  for (const op of d.ops) visit(op);
}

function refsOfCondition(c: Condition, out: Ref[]) {
  if ('all' in c) for (const x of c.all) refsOfCondition(x, out);
  else if ('any' in c) for (const x of c.any) refsOfCondition(x, out);
  else if ('not' in c) refsOfCondition(c.not, out);
  else if ('in' in c) out.push({ id: c.answer, kind: 'choice', options: c.in });
  else if ('known' in c) out.push({ id: c.known });
  else if ('number' in c) out.push({ id: c.number, kind: 'number' });
  else {
    const refs = 'days_between' in c ? [c.days_between.from, c.days_between.to] : ['days_since' in c ? c.days_since : c.days_until];
    for (const ref of refs) refsOfDate(typeof ref === 'string' ? { from: ref, ops: [] } : (ref as RuleDate), out);
  }
}

/** Every fact a rule reads. */
export function refsOfRule(rule: RuleDef): Ref[] {
  const out: Ref[] = [];
  refsOfCondition(rule.applies, out);
  if (rule.kind === 'derive') {
    if (rule.date) refsOfDate(rule.date, out);
    for (const v of rule.value ?? []) if (v.if) refsOfCondition(v.if, out);
    for (const id of rule.latest_of ?? []) out.push({ id, kind: 'date' });
  } else if (rule.kind === 'status') refsOfDate(rule.since, out);
  else {
    refsOfDate(rule.legal_last_day.date, out);
    if (rule.advised_day) refsOfDate(rule.advised_day, out);
    if (rule.offer_if) refsOfCondition(rule.offer_if, out);
    for (const id of rule.needs) out.push({ id });
  }
  return out;
}

/** What a derive rule produces: a choice with its possible values, or a date. */
function derivedKind(rule: Extract<RuleDef, { kind: 'derive' }>): { kind: Kind; options?: string[] } {
  return rule.value ? { kind: 'choice', options: rule.value.map((v) => v.is) } : { kind: 'date' };
}

/** Facts and derived facts a flow may read, with their kinds (for the flow graph check). */
export function externalFacts(model: SituationModel): ExternalFacts {
  const out = new Map<string, { kind: Kind; options?: string[] }>();
  for (const [id, f] of Object.entries(model.facts)) out.set(id, { kind: f.type, options: f.type === 'choice' ? f.options.map((o) => o.id) : undefined });
  for (const r of model.rules) if (r.kind === 'derive') out.set(r.id, derivedKind(r));
  return out;
}

const DATE_KINDS: readonly (Kind | undefined)[] = ['date', 'datetime'];

/** Checks the model on its own: references, types, order of derivations, texts. */
export function checkModel(model: SituationModel): string[] {
  const problems: string[] = [];
  const known = new Map<string, { kind: Kind; options?: string[] }>();
  for (const [id, f] of Object.entries(model.facts)) {
    known.set(id, { kind: f.type, options: f.type === 'choice' ? f.options.map((o) => o.id) : undefined });
    for (const p of checkTelegramHtml(f.text)) problems.push(`fact "${id}": text: ${p}`);
    if (f.type === 'records' && !f.fields[f.order_by]) problems.push(`fact "${id}": order_by "${f.order_by}" is not one of its fields`);
    if (f.type === 'records' && f.not_before && model.facts[f.not_before]?.type !== 'date') problems.push(`fact "${id}": not_before "${f.not_before}" is not a date fact`);
  }
  const ids = new Set<string>();
  const derivedLater = new Set(model.rules.filter((r) => r.kind === 'derive').map((r) => r.id));
  for (const rule of model.rules) {
    const at = (msg: string) => problems.push(`rule "${rule.id}": ${msg}`);
    if (ids.has(rule.id)) at('two rules share this id');
    ids.add(rule.id);
    if (rule.kind === 'derive' && model.facts[rule.id]) at('derives a fact that users are asked; give it another id');
    for (const ref of refsOfRule(rule)) {
      const fact = known.get(ref.id);
      if (!fact) {
        at(derivedLater.has(ref.id) ? `reads "${ref.id}" before a rule below derives it` : `reads unknown fact "${ref.id}"`);
        continue;
      }
      if (ref.kind === 'date' ? !DATE_KINDS.includes(fact.kind) : ref.kind && ref.kind !== fact.kind) {
        at(`reads "${ref.id}" as a ${ref.kind}, but it is a ${fact.kind}`);
      }
      for (const o of ref.options ?? []) if (!fact.options?.includes(o)) at(`"${ref.id}" has no value "${o}"`);
    }
    if (rule.kind === 'derive') {
      known.set(rule.id, derivedKind(rule));
      derivedLater.delete(rule.id);
    } else {
      for (const [field, t] of [['title', rule.title], ['text', rule.text], ['uncertain', rule.uncertain ?? '']] as const) {
        for (const p of checkTelegramHtml(t)) at(`${field}: ${p}`);
      }
    }
    if (rule.kind === 'deadline' && rule.legal_last_day.moment && rule.advised_day) at('a moment (hours) has no advised day');
    if (rule.kind === 'deadline' && !rule.legal_last_day.moment && !rule.advised_day) at('a deadline needs an advised day (earlier than, or the same as, the legal one)');
  }
  return problems;
}

/**
 * Checks flows against the model: a question bound to a fact asks for the same kind of
 * value (and offers only the fact's options), and every fact a rule reads can be asked
 * somewhere — in a flow, or from My situation (it is among a deadline's `needs`).
 */
export function checkFlowsAgainstModel(model: SituationModel, flows: Flow[]): string[] {
  const problems: string[] = [];
  const askedInFlows = new Set<string>();
  for (const flow of flows) {
    if (RESERVED_FLOW_IDS.includes(flow.id)) problems.push(`flow "${flow.id}": this id is reserved for the situation model's texts`);
    for (const [id, node] of Object.entries(flow.nodes)) {
      const at = (msg: string) => problems.push(`flow "${flow.id}" node "${id}": ${msg}`);
      if (node.type === 'outcome') {
        for (const r of node.rules) {
          const rule = model.rules.find((x) => x.id === r);
          if (!rule || rule.kind === 'derive') at(`shows rule "${r}", which is not a deadline or status rule`);
        }
      }
      if (!('fact' in node) || !node.fact) continue;
      const fact = model.facts[node.fact];
      if (!fact) {
        at(`bound to unknown fact "${node.fact}"`);
        continue;
      }
      askedInFlows.add(node.fact);
      const record = node.type === 'number' ? node.record : undefined;
      if (record) {
        if (fact.type !== 'records') at(`maps a record into "${node.fact}", which is a ${fact.type}`);
        else {
          if (!fact.fields[record.value]) at(`record field "${record.value}" is not a field of "${node.fact}"`);
          for (const [field, from] of Object.entries(record.from_answers)) {
            if (!fact.fields[field]) at(`record field "${field}" is not a field of "${node.fact}"`);
            if (flow.nodes[from]?.type !== 'date') at(`record field "${field}" comes from "${from}", which is not a date question`);
          }
        }
      } else if (fact.type !== node.type) at(`is a ${node.type} question bound to "${node.fact}", a ${fact.type} fact`);
      if (node.type === 'choice' && fact.type === 'choice') {
        for (const o of node.options) if (!fact.options.some((x) => x.id === o.id)) at(`option "${o.id}" is not a value of fact "${node.fact}"`);
      }
    }
  }
  const needed = new Set(model.rules.flatMap((r) => (r.kind === 'deadline' ? r.needs : [])));
  const derived = new Set(model.rules.filter((r) => r.kind === 'derive').map((r) => r.id));
  const read = new Set(model.rules.flatMap((r) => refsOfRule(r).map((x) => x.id)));
  for (const id of read) {
    if (derived.has(id) || !model.facts[id]) continue;
    if (!askedInFlows.has(id) && !needed.has(id)) problems.push(`fact "${id}": a rule reads it, but no flow asks it and no deadline lists it in "needs"`);
  }
  return problems;
}
