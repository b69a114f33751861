/**
 * The flow engine: a pure function from (flow, state, input, now) to the next state
 * and what to show. It never talks to Telegram or the database, so every path of
 * every flow can be tested as data, and a restart resumes from stored state alone.
 */
import type { WorkingCalendar } from '../calendar/working-days.js';
import { CalendarError } from '../calendar/working-days.js';
import { diffDays, type IsoDate, parseUserDate, todayIn } from '../lib/iso-date.js';
import { evaluateCondition } from './conditions.js';
import { type DateContext, evaluateDate } from './date-expr.js';
import type { Flow, FlowNode, Next, OutcomeNode } from './schema.js';
import type { ComputedDate, FlowInput, FlowView, InputError, RunState, StepResult } from './types.js';

/** Guard against a routing loop slipping past the checker. */
const MAX_AUTOMATIC_HOPS = 50;
/** Longest text we try to read as a date or number; anything longer is not one. */
const MAX_ANSWER_LENGTH = 40;

export interface StepDeps {
  calendar: WorkingCalendar;
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

/** Follows branch nodes until a node that shows something, and renders it. */
function arrive(flow: Flow, state: RunState, ctx: DateContext, error?: InputError): StepResult {
  let current = state.node;
  for (let hops = 0; ; hops++) {
    if (hops > MAX_AUTOMATIC_HOPS) throw new Error(`flow "${flow.id}": routing loop at "${current}"`);
    const node = nodeOf(flow, current);
    if (node.type !== 'branch') break;
    current = resolveNext(node.next, ctx);
  }
  const next: RunState = { ...state, node: current };
  const node = nodeOf(flow, current);
  if (node.type === 'outcome') {
    return { state: next, view: { kind: 'outcome', node: current, ...computeDates(node, ctx) } };
  }
  if (node.type === 'escalation') {
    return { state: next, view: { kind: 'escalation', node: current, urgent: node.urgent } };
  }
  return { state: next, view: { kind: 'question', node: current, ...(error ? { error } : {}) } };
}

/** Validates free text typed at a date or number node. */
function readAnswer(node: FlowNode, text: string, today: IsoDate): { value: string | number } | { error: InputError } {
  const raw = text.trim();
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

/** Starts a run at the flow's first node. */
export function startRun(flow: Flow): RunState {
  return { flowId: flow.id, version: flow.version, node: flow.start, answers: {}, stack: [] };
}

/**
 * Advances a run by one user input.
 * `now` is an instant; dates are compared in Moscow time.
 */
export function step(flow: Flow, state: RunState, input: FlowInput, now: Date, deps: StepDeps): StepResult {
  const today = todayIn(now);
  const ctxFor = (answers: RunState['answers']): DateContext => ({ answers, today, calendar: deps.calendar });

  if (input.type === 'start') {
    const fresh = startRun(flow);
    return arrive(flow, fresh, ctxFor(fresh.answers));
  }

  const node = nodeOf(flow, state.node);
  const ctx = ctxFor(state.answers);

  if (input.type === 'back') {
    const stack = [...state.stack];
    const previous = stack.pop();
    if (previous === undefined) return arrive(flow, state, ctx, { code: 'nothing-to-go-back-to' });
    const keep = new Set(stack);
    const answers = Object.fromEntries(Object.entries(state.answers).filter(([k]) => keep.has(k)));
    return arrive(flow, { ...state, node: previous, answers, stack }, ctxFor(answers));
  }

  if (input.type === 'choose') {
    if (input.node !== state.node || node.type !== 'choice') return arrive(flow, state, ctx, { code: 'stale' });
    const option = node.options[input.option];
    if (!option) return arrive(flow, state, ctx, { code: 'stale' });
    const answers = { ...state.answers, [state.node]: option.id };
    const target = resolveNext(option.next, ctxFor(answers));
    return arrive(flow, { ...state, node: target, answers, stack: [...state.stack, state.node] }, ctxFor(answers));
  }

  // Free text.
  if (node.type !== 'date' && node.type !== 'number') {
    return arrive(flow, state, ctx, { code: 'use-buttons' });
  }
  const read = readAnswer(node, input.text, today);
  if ('error' in read) return arrive(flow, state, ctx, read.error);
  const answers = { ...state.answers, [state.node]: read.value };
  const target = resolveNext(node.next, ctxFor(answers));
  return arrive(flow, { ...state, node: target, answers, stack: [...state.stack, state.node] }, ctxFor(answers));
}

/** Shows the current node again (after a restart, or for /menu → continue). */
export function currentView(flow: Flow, state: RunState, now: Date, deps: StepDeps, error?: InputError): StepResult {
  return arrive(flow, state, { answers: state.answers, today: todayIn(now), calendar: deps.calendar }, error);
}

/**
 * Brings a stored run onto the flow as it is now. Editing a flow must never corrupt
 * a run in progress: if the user's node still exists they continue there (answers to
 * removed nodes are dropped); if it was removed, the run restarts and the caller says so.
 */
export function reconcile(flow: Flow, state: RunState): { state: RunState; restarted: boolean } {
  if (state.version === flow.version) return { state, restarted: false };
  if (!flow.nodes[state.node]) return { state: startRun(flow), restarted: true };
  const answers = Object.fromEntries(Object.entries(state.answers).filter(([k]) => k in flow.nodes));
  const stack = state.stack.filter((k) => k in flow.nodes);
  return { state: { ...state, version: flow.version, answers, stack }, restarted: false };
}

export type { FlowView };
