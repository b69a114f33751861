/**
 * Path scenarios written next to each flow: these answers lead through these
 * steps to this outcome with these dates. They run the pure engine, so a lawyer's
 * edit to a flow is checked against every scenario in milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../src/calendar/working-days.js';
import { loadContent } from '../../src/situation/content.js';
import { factsOfRun, startRun, step } from '../../src/flow-engine/step.js';
import { evaluateSituation } from '../../src/situation/evaluate.js';
import type { FlowInput } from '../../src/flow-engine/types.js';
import { loadScenarios } from '../helpers/scenarios.js';
import { BLANK, documentPlainText, fillDocument } from '../../src/documents/fill.js';

const { flows, model, documents } = await loadContent('flows');
const files = loadScenarios();
const deps = { calendar: createWorkingCalendar(), rules: model.rules };

describe('every flow has path scenarios', () => {
  it.each(flows.list.map((f) => f.id))('%s', (id) => {
    expect(files.find((f) => f.flow === id)?.scenarios.length ?? 0).toBeGreaterThanOrEqual(3);
  });
});

describe('every document an answer offers has a path scenario that fills it', () => {
  const offered = [...new Set(flows.list.flatMap((f) => Object.values(f.nodes).flatMap((n) => (n.type === 'outcome' ? n.documents : []))))];
  it.each(offered)('%s', (id) => {
    expect(files.some((f) => f.scenarios.some((s) => s.documents?.[id]))).toBe(true);
  });
});

describe.each(files)('scenarios of $flow', (file) => {
  const flow = flows.get(file.flow)!;
  it.each(file.scenarios)('$name', (s) => {
    expect(flow, `unknown flow ${file.flow}`).toBeDefined();
    const now = new Date(s.now ?? `${s.today}T12:00:00+03:00`);
    let result = step(flow, startRun(flow), { type: 'start' }, now, deps);
    for (const [i, st] of s.steps.entries()) {
      let input: FlowInput;
      if ('choose' in st) {
        const node = flow.nodes[result.state.node];
        const option = node?.type === 'choice' ? node.options.findIndex((o) => o.id === st.choose) : -1;
        expect(option, `step ${i + 1}: no option "${st.choose}" at node "${result.state.node}"`).toBeGreaterThanOrEqual(0);
        input = { type: 'choose', node: result.state.node, option };
      } else if ('enter' in st) input = { type: 'text', text: st.enter };
      else input = { type: 'back' };
      result = step(flow, result.state, input, now, deps);
      if (result.view.kind === 'question') {
        expect(result.view.error, `step ${i + 1} at "${result.view.node}" was refused`).toBeUndefined();
      }
    }
    expect(result.view.node).toBe(s.outcome);
    if (s.dates) {
      const got = result.view.kind === 'outcome' ? Object.fromEntries(result.view.dates.map((d) => [d.id, d.date])) : {};
      expect(got).toMatchObject(s.dates);
    }
    if (s.deadlines || s.absent) {
      // The rules the answer lists, over this run's answers, as the bot renders them under it.
      const node = flow.nodes[result.view.node];
      const listed = node?.type === 'outcome' ? node.rules : [];
      const situation = evaluateSituation(model, factsOfRun(flow, result.state.answers), s.today, deps.calendar);
      for (const [id, want] of Object.entries(s.deadlines ?? {})) {
        expect(listed, `the answer does not list rule ${id}`).toContain(id);
        const got = situation.items.find((i) => i.rule.id === id);
        expect(got?.kind, `${id} does not apply`).toBe('deadline');
        if (got?.kind !== 'deadline') continue;
        expect(got.legal.value, `${id}: legal last day`).toBe(want.legal);
        if (want.next_working) expect(got.legal.nextWorkingDay, `${id}: moved to`).toBe(want.next_working);
        if (want.advised) expect(got.advised, `${id}: advised day`).toBe(want.advised);
      }
      for (const id of s.absent ?? []) {
        expect(listed, `the answer does not list rule ${id}`).toContain(id);
        expect(situation.items.find((i) => i.rule.id === id), `${id} should not apply`).toBeUndefined();
      }
    }
    for (const [id, want] of Object.entries(s.documents ?? {})) {
      const node = flow.nodes[result.view.node];
      expect(node?.type === 'outcome' ? node.documents : [], `the answer does not offer document ${id}`).toContain(id);
      const filled = fillDocument(documents.get(id)!, factsOfRun(flow, result.state.answers), s.today, model);
      const text = documentPlainText(filled);
      for (const part of want.contains) expect(text, `${id} should contain «${part}»`).toContain(part);
      expect(filled.blank, `${id}: blank fields`).toEqual(expect.arrayContaining(want.blank));
      for (const field of want.blank) expect(filled.filled, `${id}: ${field} should be blank`).not.toContain(field);
      expect(text).toContain(BLANK);
    }
    if (s.provisional && result.view.kind === 'outcome') {
      expect(result.view.dates.filter((d) => d.provisional).map((d) => d.id).sort()).toEqual([...s.provisional].sort());
    }
  });
});
