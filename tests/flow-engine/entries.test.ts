import { describe, expect, it } from 'vitest';
import { matchEntries } from '../../src/bot/features/fallback.js';
import { createWorkingCalendar } from '../../src/calendar/working-days.js';
import { ENTRY_KEY, entryPresets, keywordMatches, normaliseForMatch } from '../../src/flow-engine/entries.js';
import { FlowDefinitionError } from '../../src/flow-engine/errors.js';
import { checkFlowLinks, createFlowSet, parseFlow } from '../../src/flow-engine/loader.js';
import { reconcile, step } from '../../src/flow-engine/step.js';
import type { RunState } from '../../src/flow-engine/types.js';

const deps = { calendar: createWorkingCalendar() };
const now = new Date('2026-12-06T09:00:00+03:00');

// A flow shaped like the real ones: a question bound to a fact first, then a topic menu.
const source = (version = 1, extra = '') => `
id: demo
version: ${version}
topic: patent
title: Демо
start: who
entries:
  - node: paid-on
    title: Оплатил с опозданием
    keywords: [оплат опоздан, "paid late"]
  - node: out-lost
    title: Потерял телефон
    keywords: [потерял телефон]
${extra}
nodes:
  who:
    type: choice
    fact: citizenship
    text: Гражданство?
    options:
      - { id: uz, text: Узбекистан, next: topic }
      - { id: kg, text: Кыргызстан, next: topic }
  topic:
    type: choice
    text: О чём вопрос?
    options:
      - { id: pay, text: Оплата, next: paid-on }
      - { id: phone, text: Телефон, next: out-lost }
  paid-on:
    type: date
    text: Когда оплатили?
    next: out-paid
  out-paid:
    type: outcome
    text: Оплачено.
    citations: [{ law: 115-ФЗ, article: "13.3" }]
    reviewed_on: 2026-12-06
  out-lost:
    type: outcome
    text: Восстановите доступ.
    citations: [{ law: 109-ФЗ }]
    reviewed_on: 2026-12-06
    links: [{ flow: demo, node: paid-on }]
`;

const external = new Map([['citizenship', { kind: 'choice' as const, options: ['uz', 'kg'] }]]);
const flow = parseFlow('demo.yaml', source(), external);

describe('flow entries', () => {
  it('finds the choices on the way to an entry', () => {
    expect(entryPresets(flow, 'paid-on')).toEqual({ topic: 'pay' });
    expect(entryPresets(flow, 'out-lost')).toEqual({ topic: 'phone' });
  });

  it('asks an unknown fact first, then goes straight to the situation the user wrote about', () => {
    const started = step(flow, { flowId: 'demo', version: 1, node: 'who', answers: {}, stack: [] }, { type: 'start', entry: 'paid-on' }, now, deps);
    expect(started.view).toMatchObject({ kind: 'question', node: 'who' });
    const answered = step(flow, started.state, { type: 'choose', node: 'who', option: 0 }, now, deps);
    // The topic menu is skipped: the entry chose "payment".
    expect(answered.view).toMatchObject({ kind: 'question', node: 'paid-on' });
    expect(answered.state.answers).toMatchObject({ who: 'uz', topic: 'pay' });
    // The preset is not shown as something the user told about themselves.
    expect(answered.view.prefilled ?? []).not.toContain('topic');
  });

  it('takes a known fact and the entry together: the first screen is the situation', () => {
    const started = step(flow, { flowId: 'demo', version: 1, node: 'who', answers: {}, stack: [] }, { type: 'start', entry: 'out-lost' }, now, {
      ...deps,
      facts: { citizenship: 'kg' },
    });
    expect(started.view).toMatchObject({ kind: 'outcome', node: 'out-lost', prefilled: ['who'] });
  });

  it('Back from the situation shows the topic menu, and the menu is then asked', () => {
    const start = step(flow, { flowId: 'demo', version: 1, node: 'who', answers: {}, stack: [] }, { type: 'start', entry: 'paid-on' }, now, { ...deps, facts: { citizenship: 'uz' } });
    expect(start.view.node).toBe('paid-on');
    const back = step(flow, start.state, { type: 'back' }, now, { ...deps, facts: { citizenship: 'uz' } });
    expect(back.view).toMatchObject({ kind: 'question', node: 'topic' });
    expect(back.state.answers[ENTRY_KEY]).toBeUndefined();
  });

  it('an unknown entry (removed since the button was sent) starts from the beginning', () => {
    const r = step(flow, { flowId: 'demo', version: 1, node: 'who', answers: {}, stack: [] }, { type: 'start', entry: 'nope' }, now, { ...deps, facts: { citizenship: 'uz' } });
    expect(r.view).toMatchObject({ kind: 'question', node: 'topic' });
  });

  it('a run in progress keeps its entry across a flow edit, and drops an entry that was removed', () => {
    const state: RunState = { flowId: 'demo', version: 1, node: 'who', answers: { [ENTRY_KEY]: 'paid-on' }, stack: [] };
    expect(reconcile(parseFlow('demo.yaml', source(2), external), state).state.answers[ENTRY_KEY]).toBe('paid-on');
    const without = parseFlow('demo.yaml', source(3).replace(/entries:[\s\S]*?\n(?=nodes:)/, ''), external);
    expect(reconcile(without, state).state.answers[ENTRY_KEY]).toBeUndefined();
  });

  it('matches keywords as word stems in any order, ё as е, and ranks by hits', () => {
    expect(keywordMatches(normaliseForMatch('Я ОПЛАТИЛ патент с опозданием на 3 дня'), 'оплат опоздан')).toBe(true);
    expect(keywordMatches(normaliseForMatch('опоздание с оплатой'), 'оплат опоздан')).toBe(true);
    expect(keywordMatches(normaliseForMatch('оплатил патент'), 'оплат опоздан')).toBe(false);
    const set = createFlowSet([flow]);
    expect(matchEntries(set, 'I paid late, what now?').map((e) => e.node)).toEqual(['paid-on']);
    expect(matchEntries(set, 'потерял телефон')).toEqual([{ flow, node: 'out-lost' }]);
    expect(matchEntries(set, 'просто привет')).toEqual([]);
  });

  it('refuses an entry at a missing node, at a branch or at the start, and links to what does not exist', () => {
    const bad = (entries: string) => () => parseFlow('demo.yaml', source(1).replace(/entries:[\s\S]*?\n(?=nodes:)/, `${entries}\n`), external);
    expect(bad('entries:\n  - { node: ghost, title: X, keywords: [xx] }')).toThrow(/entry "ghost": no such node/);
    expect(bad('entries:\n  - { node: who, title: X, keywords: [xx] }')).toThrow(FlowDefinitionError);
    const linked = parseFlow('demo.yaml', source().replace('links: [{ flow: demo, node: paid-on }]', 'links: [{ flow: demo, node: topic }, { flow: asylum }]'), external);
    const problems = checkFlowLinks([linked]).map((p) => p.problem);
    expect(problems).toEqual([
      'node "out-lost": links to "demo" at "topic", which is not one of its entries',
      'node "out-lost": links to unknown flow "asylum"',
    ]);
    expect(checkFlowLinks([flow])).toEqual([]);
  });
});
