/**
 * Runs a user's flow: loads their stored state, applies one input with the pure
 * engine, saves the result (the repository writes it behind the reply). No grammY
 * and no HTTP here; the bot only renders what this returns.
 */
import type { WorkingCalendar } from '../calendar/working-days.js';
import type { FlowSet } from '../flow-engine/loader.js';
import type { Flow } from '../flow-engine/schema.js';
import { currentView, factsOfRun, reconcile, step } from '../flow-engine/step.js';
import type { FactMap, RuleDef } from '../situation/schema.js';
import type { FlowInput, InputError, RunState, StepResult } from '../flow-engine/types.js';
import type { FlowRunRepository } from '../flow-runs/flow-run-repository.js';

export interface FlowScreen extends StepResult {
  flow: Flow;
  /** The user's stored facts the step saw (the answer screen evaluates its rules over them). */
  facts?: FactMap;
  /** The flow changed under the user's run and it was restarted. */
  restarted?: boolean;
}

export type FlowServiceResult =
  | { kind: 'screen'; screen: FlowScreen }
  /** No run in progress, or its flow is gone: show the main menu. */
  | { kind: 'no-run'; flowRemoved?: boolean }
  /** Free text while the run shows an answer, not a question: the text is not for the flow. */
  | { kind: 'idle' };

export interface FlowServiceDeps {
  flows: FlowSet;
  runs: FlowRunRepository;
  calendar: WorkingCalendar;
  clock: () => Date;
  /** The situation model's rules: flows route on derived facts too. */
  rules?: RuleDef[];
  /** Hours ahead of UTC a user's typed date-times are in, from their facts (their region). */
  utcOffsetOf?: (facts: FactMap) => number;
  /** Called (not awaited) when a step changed the user's facts and reached an answer: reminders follow. */
  onFactsChanged?: (userId: number) => void;
}

/** Facts this step answered (not those taken from known facts): they update the user's facts. */
function answeredFacts(flow: Flow, before: RunState | undefined, after: RunState, stored: FactMap, view: StepResult['view']): FactMap {
  const prefilled = new Set(view.prefilled ?? []);
  const fresh = Object.fromEntries(Object.entries(after.answers).filter(([k, v]) => !prefilled.has(k) && before?.answers[k] !== v));
  if (!Object.keys(fresh).length) return {};
  const all = factsOfRun(flow, after.answers);
  const changed: FactMap = {};
  for (const node of Object.keys(fresh)) {
    const n = flow.nodes[node];
    const fact = n && 'fact' in n ? n.fact : undefined;
    if (fact && all[fact] !== undefined && JSON.stringify(all[fact]) !== JSON.stringify(stored[fact])) changed[fact] = all[fact]!;
  }
  return changed;
}

export function createFlowService({ flows, runs, calendar, clock, rules = [], onFactsChanged, utcOffsetOf }: FlowServiceDeps) {
  /** Users whose facts changed in the run since its last answer screen. */
  const factsMoved = new Set<number>();
  const depsFor = async (userId: number) => {
    const facts = await runs.findFacts(userId);
    return { calendar, rules, facts, utcOffset: utcOffsetOf?.(facts) };
  };

  function persist(userId: number, flow: Flow, before: RunState | undefined, result: StepResult, now: Date, facts: FactMap = {}) {
    const moved = !before || before.node !== result.state.node || before.version !== result.state.version;
    if (moved || JSON.stringify(before?.answers) !== JSON.stringify(result.state.answers)) {
      runs.save(userId, result.state, now);
    }
    const changed = answeredFacts(flow, before, result.state, facts, result.view);
    if (Object.keys(changed).length) {
      runs.saveFacts(userId, changed, `flow:${flow.id}`, now);
      // Users who leave a run half-way stay in the set; it is only a hint, so keep it bounded.
      if (factsMoved.size > 50_000) factsMoved.clear();
      factsMoved.add(userId);
    }
    if (result.view.kind !== 'question' && factsMoved.delete(userId)) onFactsChanged?.(userId);
    if (moved && result.view.kind === 'outcome') {
      runs.recordResult(userId, result.state, result.view.node, result.view.dates, now);
    }
    return { kind: 'screen' as const, screen: { ...result, flow, facts } };
  }

  /**
   * Loads the run (from the user-state cache, as a rule: the update read the user
   * with their run when it began) and brings it onto the current version of its flow.
   */
  async function load(userId: number) {
    const stored = await runs.findActive(userId);
    if (!stored) return undefined;
    const flow = flows.get(stored.flowId);
    if (!flow) {
      runs.clear(userId);
      return { removed: true as const };
    }
    const { state, restarted } = reconcile(flow, stored);
    return { flow, state, stored, restarted };
  }

  return {
    /**
     * Starts (or restarts) a flow from its first question; from `entry` (one of its
     * entries' nodes), the walk takes that situation's choices on the way.
     */
    async start(userId: number, flowId: string, entry?: string): Promise<FlowServiceResult> {
      const flow = flows.get(flowId);
      if (!flow) return { kind: 'no-run', flowRemoved: true };
      const now = clock();
      const deps = await depsFor(userId);
      const result = step(flow, { flowId, version: flow.version, node: flow.start, answers: {}, stack: [] }, { type: 'start', entry }, now, deps);
      return persist(userId, flow, undefined, result, now, deps.facts);
    },

    /**
     * Applies an input. A button from another flow, an older version or another
     * node is answered with the current step and a "stale" notice.
     */
    async apply(userId: number, input: FlowInput, expect?: { flowId: string; version: number }): Promise<FlowServiceResult> {
      const loaded = await load(userId);
      if (!loaded) return { kind: 'no-run' };
      if ('removed' in loaded) return { kind: 'no-run', flowRemoved: true };
      const { flow, state, stored, restarted } = loaded;
      const at = flow.nodes[state.node];
      if (input.type === 'text' && !restarted && (at?.type === 'outcome' || at?.type === 'escalation')) {
        return { kind: 'idle' };
      }
      const now = clock();
      const deps = await depsFor(userId);
      if (restarted) {
        const result = currentView(flow, state, now, deps);
        const out = persist(userId, flow, stored, result, now, deps.facts);
        return { kind: 'screen', screen: { ...out.screen, restarted: true } };
      }
      if (expect && (expect.flowId !== flow.id || expect.version !== flow.version)) {
        const stale: InputError = { code: 'stale' };
        return persist(userId, flow, stored, currentView(flow, state, now, deps, stale), now, deps.facts);
      }
      return persist(userId, flow, stored, step(flow, state, input, now, deps), now, deps.facts);
    },

    /** The current screen of the run in progress, if any. */
    async current(userId: number): Promise<FlowServiceResult> {
      const loaded = await load(userId);
      if (!loaded) return { kind: 'no-run' };
      if ('removed' in loaded) return { kind: 'no-run', flowRemoved: true };
      const now = clock();
      const deps = await depsFor(userId);
      const out = persist(userId, loaded.flow, loaded.stored, currentView(loaded.flow, loaded.state, now, deps), now, deps.facts);
      return loaded.restarted ? { kind: 'screen', screen: { ...out.screen, restarted: true } } : out;
    },

    clear: (userId: number) => runs.clear(userId),
  };
}

export type FlowService = ReturnType<typeof createFlowService>;
