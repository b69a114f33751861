/** Walks a path scenario through the real bot, pressing buttons and typing as a user would. */
import { encodeFlowChoice } from '../../src/flow-engine/callback-codec.js';
import type { Harness } from './harness.js';
import type { Scenario } from './scenarios.js';

/** Performs one scenario step at the user's current node. */
export async function doStep(h: Harness, userId: number, flowId: string, st: Scenario['steps'][number]) {
  const flow = h.container.flows.get(flowId)!;
  const run = await h.container.flowService.current(userId);
  if (run.kind !== 'screen') throw new Error('no run in progress');
  const nodeId = run.screen.state.node;
  if ('choose' in st) {
    const node = flow.nodes[nodeId];
    const index = node?.type === 'choice' ? node.options.findIndex((o) => o.id === st.choose) : -1;
    if (index < 0) throw new Error(`no option "${st.choose}" at "${nodeId}"`);
    await h.press(userId, encodeFlowChoice(flow.id, flow.version, nodeId, index));
  } else if ('enter' in st) {
    await h.send(userId, st.enter);
  } else {
    await h.press(userId, `b:${flow.id}:${flow.version}:${nodeId}`);
  }
}

export async function walkScenario(h: Harness, userId: number, flowId: string, s: Scenario, opts: { stopBefore?: number } = {}) {
  await h.press(userId, `f:${flowId}`);
  for (const [i, st] of s.steps.entries()) {
    if (opts.stopBefore === i) return;
    await doStep(h, userId, flowId, st);
  }
}
