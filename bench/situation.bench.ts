/**
 * `npm run bench:situation` — how long My situation takes to build for one user: every
 * rule evaluated over their facts (derivations, conditions, working-day arithmetic) and
 * the whole screen rendered in their language, with 30 rules. The baseline, in the same
 * run, renders one flow answer screen (the patent answer with its dates), the screen a
 * user sees most. Target: p99 under 5 ms.
 *
 * Options: --iterations N (default 5000), --rules N (default 30).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { renderFlowScreen } from '../src/bot/render-flow.js';
import { renderSituation } from '../src/bot/render-situation.js';
import { createWorkingCalendar } from '../src/calendar/working-days.js';
import { startRun, step } from '../src/flow-engine/step.js';
import { createTranslator, readLocales } from '../src/i18n/i18n.js';
import { evaluateSituation } from '../src/situation/evaluate.js';
import { loadContent } from '../src/situation/content.js';
import type { FactMap, RuleDef } from '../src/situation/schema.js';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '5000' }, rules: { type: 'string', default: '30' } } });
const N = Number(values.iterations);
const RULES = Number(values.rules);

const { flows, model } = await loadContent('flows');
const resources = await readLocales('locales');
const calendar = createWorkingCalendar();
const now = new Date('2026-05-01T12:00:00+03:00');

// The real rules, then copies of the deadline rules (new ids) up to the wanted count.
const real = model.rules;
const deadlines = real.filter((r) => r.kind === 'deadline');
const extra: RuleDef[] = [];
for (let i = 0; real.length + extra.length < RULES; i++) {
  const r = deadlines[i % deadlines.length]!;
  extra.push({ ...r, id: `${r.id}-x${i}` });
}
const rules = { ...model, rules: [...real, ...extra] };
// Copies reuse the texts of the rule they copy, in every language.
for (const lng of Object.keys(resources)) {
  const texts = (resources[lng]?.flows as { rules?: Record<string, unknown> } | undefined)?.rules;
  if (!texts) continue;
  for (const r of extra) texts[r.id] = texts[r.id.replace(/-x\d+$/, '')] ?? Object.values(texts)[0];
}
const translator = await createTranslator(resources);
const t = translator.forLanguage('uz');

// A user with much to say: patent with payments, stay, registration, a ban, a decision.
const facts: FactMap = {
  citizenship: 'uz',
  'residence-permit': 'no-rvp',
  'entry-date': '2026-04-12',
  'days-before-entry': 20,
  'patent-issue-date': '2026-04-20',
  'patent-payments': [{ paid_on: '2026-04-18', months: 1 }, { paid_on: '2026-05-01', months: 2 }],
  'arrival-date': '2026-04-28',
  'ban-learned-date': '2026-04-25',
  'decision-received': '2026-04-29',
  region: 'moscow',
};

function time(fn: () => void): number[] {
  for (let i = 0; i < Math.min(500, N / 5); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}
const at = (s: number[], q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;

// Baseline: the patent answer screen for a patent issued 20.04 with 1 month paid.
const flow = flows.get('work-patent')!;
let run = step(flow, startRun(flow), { type: 'start' }, now, { calendar });
const answers: [string, string | number][] = [['choose', 'uz'], ['choose', 'no-rvp'], ['choose', 'have-patent'], ['text', '20.04.2026'], ['text', '1']];
for (const [kind, v] of answers) {
  const node = flow.nodes[run.state.node]!;
  const option = node.type === 'choice' ? node.options.findIndex((o) => o.id === v) : 0;
  run = step(flow, run.state, kind === 'choose' ? { type: 'choose', node: run.state.node, option } : { type: 'text', text: String(v) }, now, { calendar, rules: model.rules });
}
const screen = { ...run, flow, facts: {} };
const baseline = time(() => renderFlowScreen(screen, { t, today: '2026-05-01', contacts: [], calendar, model, now }));

let items = 0;
const situation = time(() => {
  const s = evaluateSituation(rules, facts, '2026-05-01', calendar);
  items = s.items.length;
  renderSituation(t, rules, s, facts, now, true);
});

const perSecond = (s: number[]) => 1000 / (s.reduce((a, b) => a + b, 0) / s.length);
const ratio = perSecond(situation) / perSecond(baseline);
console.log(`\nsituation benchmark: ${N} iterations, ${rules.rules.length} rules (${items} apply to the user), Node ${process.version}`);
console.log(`flow answer screen (baseline)  p50 ${at(baseline, 0.5).toFixed(3)} ms  p99 ${at(baseline, 0.99).toFixed(3)} ms  ${perSecond(baseline).toFixed(0)}/s`);
console.log(`My situation (evaluate+render) p50 ${at(situation, 0.5).toFixed(3)} ms  p99 ${at(situation, 0.99).toFixed(3)} ms  ${perSecond(situation).toFixed(0)}/s`);
console.log(`situation: rules ${rules.rules.length}, p99 ${at(situation, 0.99).toFixed(2)} ms (target < 5 ms), ratio to an answer screen ${ratio.toFixed(2)}×`);
