/**
 * The flow engine: a pure function from (flow, state, input, now) to the next state
 * and what to show. It never talks to Telegram or the database, so every path of
 * every flow can be tested as data, and a restart resumes from stored state alone.
 */
import type { WorkingCalendar } from '../calendar/working-days.js';
import { CalendarError } from '../calendar/working-days.js';
import { diffDays, type IsoDate, parseUserDate, todayIn } from '../lib/iso-date.js';
import { evaluateCondition } from './conditions.js';
import { ENTRY_KEY, entryPresets } from './entries.js';
import { type DateContext, evaluateDate } from './date-expr.js';
import type { Flow, FlowNode, Next, OutcomeNode } from './schema.js';
import type { AnswerValue, ComputedDate, FlowInput, FlowView, InputError, RunState, StepResult } from './types.js';
import { deriveFacts } from '../situation/evaluate.js';
import { readDateTime } from '../situation/fact-values.js';
import { isDateTime } from '../situation/rule-date.js';
import type { FactMap, RuleDef } from '../situation/schema.js';

/** Guard against a routing loop slipping past the checker. */
const MAX_AUTOMATIC_HOPS = 50;
/** Longest text we try to read as a date or number; anything longer is not one. */
const MAX_ANSWER_LENGTH = 40;

export interface StepDeps {
  calendar: WorkingCalendar;
  /** The user's stored facts (the situation model); questions bound to a known fact are not asked again. */
  facts?: FactMap;
  /** Derive rules of the situation model: flows may route on derived facts (the patent's paid-until day). */
  rules?: RuleDef[];
  /** Hours ahead of UTC a typed date-time is in (the user's region; Moscow, +3, by default). */
  utcOffset?: number;
}

/**
 * The facts a run knows: the user's stored facts, overlaid with this run's answers to
 * questions bound to facts. A number bound to a `records` fact becomes one record.
 */
export function factsOfRun(flow: Flow, answers: RunState['answers'], stored: FactMap = {}): FactMap {
  const facts: FactMap = { ...stored };
  for (const [id, value] of Object.entries(answers)) {
    const node = flow.nodes[id];
    if (!node || !('fact' in node) || !node.fact) continue;
    if (node.type === 'number' && node.record) {
      const record: Record<string, string | number> = { [node.record.value]: value };
      for (const [field, from] of Object.entries(node.record.from_answers)) {
        const v = answers[from];
        if (v !== undefined) record[field] = v;
      }
      facts[node.fact] = [record];
    } else facts[node.fact] = value;
  }
  return facts;
}

/** The value a question would take from a known fact, if it is one the question accepts. */
function knownAnswer(node: FlowNode, facts: FactMap, today: IsoDate): AnswerValue | undefined {
  if (!('fact' in node) || !node.fact) return undefined;
  const v = facts[node.fact];
  if (node.type === 'choice') return typeof v === 'string' && node.options.some((o) => o.id === v) ? v : undefined;
  if (node.type === 'date') {
    if (typeof v !== 'string' || v.length !== 10) return undefined;
    const fresh = (node.allow_future || v <= today) && diffDays(v, today) <= node.max_years_back * 366;
    return fresh ? v : undefined;
  }
  if (node.type === 'number' && !node.record) return typeof v === 'number' && v >= node.min && v <= node.max ? v : undefined;
  if (node.type === 'datetime') return isDateTime(v) && (node.allow_future || v.slice(0, 10) <= today) ? v : undefined;
  return undefined;
}

function nodeOf(flow: Flow, id: string): FlowNode {
  const node = flow.nodes[id];
  if (!node) throw new Error(`flow "${flow.id}": unknown node "${id}"`);
  return node;
}

function resolveNext(next: Next, ctx: DateContext): string {
  if (typeof next === 'string') return next;
  for (const rule of next) {
    if (!rule.if) return rule.goto;
    try {
      if (evaluateCondition(rule.if, ctx)) return rule.goto;
    } catch (err) {
      // A rule about working days in an unknown year cannot be decided: fall through
      // to the later rules; the final default is the safe route.
      if (!(err instanceof CalendarError)) throw err;
    }
  }
  throw new Error('unreachable: the last rule has no condition');
}

/** Computes an outcome's dates in order (later dates may build on earlier ones). */
export function computeDates(
  node: OutcomeNode,
  ctx: DateContext,
): { dates: ComputedDate[]; dateError?: { year: number } } {
  const computed: Record<string, IsoDate> = {};
  const dates: ComputedDate[] = [];
  for (const d of node.dates) {
    try {
      const v = evaluateDate(d.date, { ...ctx, computed });
      computed[d.id] = v.date;
      dates.push({ id: d.id, date: v.date, provisional: v.provisional, remind: d.remind });
    } catch (err) {
      if (err instanceof CalendarError) return { dates, dateError: { year: err.year } };
      throw err;
    }
  }
  return { dates };
}

/** Builds the context conditions and dates read: the run's answers over its facts and every derived fact. */
type ContextFor = (answers: RunState['answers']) => DateContext;

/**
 * Follows branch nodes, and questions whose fact is already known, until a node that
 * shows something, and renders it. `prefill` says whether the run's current node may be
 * answered from a known fact: yes after an answer or at the start, no when the user went
 * Back to it or asked to change it (they want the question).
 */
function arrive(flow: Flow, state: RunState, ctxFor: ContextFor, deps: StepDeps, error?: InputError, prefill = false): StepResult {
  let current = state.node;
  let answers = state.answers;
  let stack = state.stack;
  const prefilled: string[] = [];
  let mayPrefill = prefill;
  for (let hops = 0; ; hops++) {
    if (hops > MAX_AUTOMATIC_HOPS) throw new Error(`flow "${flow.id}": routing loop at "${current}"`);
    const node = nodeOf(flow, current);
    if (node.type === 'branch') {
      current = resolveNext(node.next, ctxFor(answers));
      mayPrefill = true;
      continue;
    }
    if (!mayPrefill || (node.type !== 'choice' && node.type !== 'date' && node.type !== 'datetime' && node.type !== 'number')) break;
    const ctx = ctxFor(answers);
    const value = knownAnswer(node, factsOfRun(flow, answers, deps.facts), ctx.today);
    // A run started from free text takes the entry's choices on the way (never for a fact:
    // a topic the user wrote about is not something they told about themselves).
    const preset = value === undefined && node.type === 'choice' && !node.fact ? presetOf(flow, answers, current) : undefined;
    if (value === undefined && preset === undefined) break;
    answers = { ...answers, [current]: (value ?? preset)! };
    stack = [...stack, current];
    if (value !== undefined) prefilled.push(current);
    current = node.type === 'choice' ? resolveNext(node.options.find((o) => o.id === answers[current])!.next, ctxFor(answers)) : resolveNext(node.next, ctxFor(answers));
  }
  const next: RunState = { ...state, node: current, answers, stack };
  const node = nodeOf(flow, current);
  const ctx = ctxFor(answers);
  const known = prefilled.length ? { prefilled } : {};
  if (node.type === 'outcome') {
    return { state: next, view: { kind: 'outcome', node: current, ...computeDates(node, ctx), ...known } };
  }
  if (node.type === 'escalation') {
    return { state: next, view: { kind: 'escalation', node: current, urgent: node.urgent, ...known } };
  }
  return { state: next, view: { kind: 'question', node: current, ...(error ? { error } : {}), ...known } };
}

/** Validates free text typed at a date, date-time or number node. */
function readAnswer(node: FlowNode, text: string, today: IsoDate, now: Date, utcOffset: number): { value: string | number } | { error: InputError } {
  const raw = text.trim();
  if (node.type === 'datetime') {
    if (raw.length > MAX_ANSWER_LENGTH) return { error: { code: 'datetime-format' } };
    const r = readDateTime(raw, now, utcOffset, node.max_years_back, node.allow_future);
    if ('value' in r) return r;
    return { error: { code: r.error.code === 'date-too-old' ? 'date-too-old' : r.error.code === 'datetime-future' ? 'datetime-future' : 'datetime-format', params: r.error.params } };
  }
  if (node.type === 'date') {
    const date = raw.length <= MAX_ANSWER_LENGTH ? parseUserDate(raw) : undefined;
    if (!date) return { error: { code: 'date-format' } };
    if (!node.allow_future && date > today) return { error: { code: 'date-future' } };
    if (diffDays(date, today) > node.max_years_back * 366) {
      return { error: { code: 'date-too-old', params: { years: node.max_years_back } } };
    }
    return { value: date };
  }
  if (node.type === 'number') {
    if (raw.length > MAX_ANSWER_LENGTH || !/^\d+$/.test(raw)) return { error: { code: 'number-format' } };
    const n = Number(raw);
    if (n < node.min || n > node.max) {
      return { error: { code: 'number-range', params: { min: node.min, max: node.max } } };
    }
    return { value: n };
  }
  return { error: { code: 'use-buttons' } };
}

/** Starts a run at the flow's first node (remembering the entry it was started from, if any). */
export function startRun(flow: Flow, entry?: string): RunState {
  const answers: RunState['answers'] = entry && flow.entries.some((e) => e.node === entry) ? { [ENTRY_KEY]: entry } : {};
  return { flowId: flow.id, version: flow.version, node: flow.start, answers, stack: [] };
}

/** Presets of each entry, computed once per loaded flow. */
const presetCache = new WeakMap<Flow, Map<string, Record<string, string>>>();

/** The option an entry's path takes at a choice node, if the run was started from an entry. */
function presetOf(flow: Flow, answers: RunState['answers'], node: string): string | undefined {
  const entry = answers[ENTRY_KEY];
  if (typeof entry !== 'string') return undefined;
  let byEntry = presetCache.get(flow);
  if (!byEntry) {
    byEntry = new Map();
    presetCache.set(flow, byEntry);
  }
  let presets = byEntry.get(entry);
  if (!presets) {
    presets = entryPresets(flow, entry) ?? {};
    byEntry.set(entry, presets);
  }
  const option = presets[node];
  const n = flow.nodes[node];
  return option && n?.type === 'choice' && n.options.some((o) => o.id === option) ? option : undefined;
}

/**
 * Advances a run by one user input.
 * `now` is an instant; dates are compared in Moscow time.
 */
export function step(flow: Flow, state: RunState, input: FlowInput, now: Date, deps: StepDeps): StepResult {
  const today = todayIn(now);
  const ctxFor = contextFor(flow, today, deps);

  if (input.type === 'start') return arrive(flow, startRun(flow, input.entry), ctxFor, deps, undefined, true);

  const node = nodeOf(flow, state.node);

  if (input.type === 'back') {
    const stack = [...state.stack];
    const previous = stack.pop();
    if (previous === undefined) return arrive(flow, state, ctxFor, deps, { code: 'nothing-to-go-back-to' });
    const keep = new Set(stack);
    const answers = Object.fromEntries(Object.entries(state.answers).filter(([k]) => keep.has(k)));
    return arrive(flow, { ...state, node: previous, answers, stack }, ctxFor, deps);
  }

  if (input.type === 'change') {
    // "Change" under a value taken from a known fact: back to that question, asked.
    const i = state.stack.lastIndexOf(input.node);
    if (i < 0) return arrive(flow, state, ctxFor, deps, { code: 'stale' });
    const stack = state.stack.slice(0, i);
    const keep = new Set(stack);
    const answers = Object.fromEntries(Object.entries(state.answers).filter(([k]) => keep.has(k)));
    return arrive(flow, { ...state, node: input.node, answers, stack }, ctxFor, deps);
  }

  if (input.type === 'choose') {
    if (input.node !== state.node || node.type !== 'choice') return arrive(flow, state, ctxFor, deps, { code: 'stale' });
    const option = node.options[input.option];
    if (!option) return arrive(flow, state, ctxFor, deps, { code: 'stale' });
    const answers = { ...state.answers, [state.node]: option.id };
    const target = resolveNext(option.next, ctxFor(answers));
    return arrive(flow, { ...state, node: target, answers, stack: [...state.stack, state.node] }, ctxFor, deps, undefined, true);
  }

  // Free text.
  if (node.type !== 'date' && node.type !== 'datetime' && node.type !== 'number') {
    return arrive(flow, state, ctxFor, deps, { code: 'use-buttons' });
  }
  const read = readAnswer(node, input.text, today, now, deps.utcOffset ?? 3);
  if ('error' in read) return arrive(flow, state, ctxFor, deps, read.error);
  const answers = { ...state.answers, [state.node]: read.value };
  const target = resolveNext(node.next, ctxFor(answers));
  return arrive(flow, { ...state, node: target, answers, stack: [...state.stack, state.node] }, ctxFor, deps, undefined, true);
}

/**
 * The context of conditions and dates: derived facts (from the user's facts overlaid with
 * this run's answers) under the run's own answers, so a flow can route on a derived fact.
 */
/** Flows whose conditions or dates read something other than their own answers (facts, derived facts). */
const readsFacts = new WeakMap<Flow, boolean>();

/** Whether a flow's routing or dates read a name that is not one of its nodes: only then are facts derived. */
function flowReadsFacts(flow: Flow): boolean {
  let known = readsFacts.get(flow);
  if (known !== undefined) return known;
  const names = new Set<string>();
  const visit = (v: unknown, key?: string) => {
    if (typeof v === 'string') {
      if (key === 'answer' || key === 'number' || key === 'known' || key === 'from' || key === 'days_since' || key === 'days_until') names.add(v);
    } else if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  for (const node of Object.values(flow.nodes)) {
    if ('next' in node) visit(node.next);
    if (node.type === 'choice') for (const o of node.options) visit(o.next);
    if (node.type === 'outcome') for (const d of node.dates) visit(d.date);
  }
  known = [...names].some((n) => n !== 'today' && !flow.nodes[n]);
  readsFacts.set(flow, known);
  return known;
}

function contextFor(flow: Flow, today: IsoDate, deps: StepDeps): ContextFor {
  // A step asks for the context of the same answers several times (route, then arrive):
  // the derivations run once per set of answers, and only for flows that read facts.
  let last: { answers: RunState['answers']; ctx: DateContext } | undefined;
  return (answers) => {
    if ((!deps.rules?.length && !deps.facts) || !flowReadsFacts(flow)) return { answers, today, calendar: deps.calendar };
    if (last?.answers === answers) return last.ctx;
    const { facts } = deriveFacts(deps.rules ?? [], factsOfRun(flow, answers, deps.facts), today, deps.calendar);
    const scalar = Object.fromEntries(Object.entries(facts).filter(([, v]) => !Array.isArray(v))) as Record<string, AnswerValue>;
    const ctx = { answers: { ...scalar, ...answers }, today, calendar: deps.calendar };
    last = { answers, ctx };
    return ctx;
  };
}

/** Shows the current node again (after a restart, or for /menu → continue). */
export function currentView(flow: Flow, state: RunState, now: Date, deps: StepDeps, error?: InputError): StepResult {
  return arrive(flow, state, contextFor(flow, todayIn(now), deps), deps, error);
}

/**
 * Brings a stored run onto the flow as it is now. Editing a flow must never corrupt
 * a run in progress: if the user's node still exists they continue there (answers to
 * removed nodes are dropped); if it was removed, the run restarts and the caller says so.
 */
export function reconcile(flow: Flow, state: RunState): { state: RunState; restarted: boolean } {
  if (state.version === flow.version) return { state, restarted: false };
  if (!flow.nodes[state.node]) return { state: startRun(flow), restarted: true };
  const entryKept = (k: string, v: AnswerValue) => k === ENTRY_KEY && flow.entries.some((e) => e.node === v);
  const answers = Object.fromEntries(Object.entries(state.answers).filter(([k, v]) => k in flow.nodes || entryKept(k, v)));
  const stack = state.stack.filter((k) => k in flow.nodes);
  return { state: { ...state, version: flow.version, answers, stack }, restarted: false };
}

export type { FlowView };
