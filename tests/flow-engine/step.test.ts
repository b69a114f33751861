import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../src/calendar/working-days.js';
import { parseFlow } from '../../src/flow-engine/loader.js';
import { reconcile, startRun, step } from '../../src/flow-engine/step.js';
import type { FlowInput, RunState } from '../../src/flow-engine/types.js';

const deps = { calendar: createWorkingCalendar() };
const now = new Date('2026-02-20T09:00:00+03:00');

const source = (version = 1) => `
id: demo
version: ${version}
topic: patent
title: Демо
start: who
nodes:
  who:
    type: choice
    text: Кто вы?
    options:
      - { id: eaeu, text: ЕАЭС, next: out-eaeu }
      - { id: other, text: Другие, next: entry }
  entry:
    type: date
    text: Дата въезда?
    next:
      - if: { days_since: entry, gt: 29 }
        goto: out-late
      - goto: months
  months:
    type: number
    text: Сколько месяцев?
    min: 1
    max: 12
    next: out-ok
  out-eaeu:
    type: outcome
    text: Патент не нужен.
    citations: [{ law: Договор о ЕАЭС, article: "97" }]
    reviewed_on: 2026-11-25
  out-late:
    type: outcome
    text: Срок прошёл {{deadline}}.
    citations: [{ law: 115-ФЗ, article: "13.3" }]
    reviewed_on: 2026-11-25
    dates:
      - { id: deadline, label: Срок, date: { from: entry, ops: [{ add_days: 29 }] } }
  out-ok:
    type: outcome
    text: Подайте до {{apply_by}}.
    citations: [{ law: 115-ФЗ, article: "13.3" }]
    reviewed_on: 2026-11-25
    dates:
      - { id: apply_by, label: Подать до, date: { from: entry, ops: [{ add_days: 29 }] } }
      - { id: paid_until, label: Оплачен до, date: { from: entry, ops: [{ add_months: { answer: months } }, { add_days: -1 }] } }
      - { id: working, label: Рабочие, date: { from: { date: apply_by }, ops: [{ add_working_days: 7 }] } }
`;

const flow = parseFlow('demo.yaml', source());

function walk(inputs: FlowInput[], at = now) {
  let state: RunState = startRun(flow);
  let result = step(flow, state, { type: 'start' }, at, deps);
  for (const input of inputs) {
    result = step(flow, result.state, input, at, deps);
    state = result.state;
  }
  return result;
}

describe('step()', () => {
  it('walks answers to an outcome with the user’s dates', () => {
    const r = walk([
      { type: 'choose', node: 'who', option: 1 },
      { type: 'text', text: '12.02.2026' },
      { type: 'text', text: '3' },
    ]);
    expect(r.view.kind).toBe('outcome');
    expect(r.view.kind === 'outcome' && r.view.dates.map((d) => [d.id, d.date])).toEqual([
      ['apply_by', '2026-03-13'],
      ['paid_until', '2026-05-11'],
      ['working', '2026-03-24'], // 13 Mar (Fri) + 7 working days: 16–20, 23, 24 Mar
    ]);
  });

  it('routes on days since a date', () => {
    const r = walk([
      { type: 'choose', node: 'who', option: 1 },
      { type: 'text', text: '01.01.2026' },
    ]);
    expect(r.view).toMatchObject({ kind: 'outcome', node: 'out-late' });
  });

  it('refuses future dates, impossible dates and huge texts, keeping the question', () => {
    const base = [{ type: 'choose', node: 'who', option: 1 } as FlowInput];
    expect(walk([...base, { type: 'text', text: '01.03.2026' }]).view).toMatchObject({ kind: 'question', node: 'entry', error: { code: 'date-future' } });
    expect(walk([...base, { type: 'text', text: '30.02.2026' }]).view).toMatchObject({ error: { code: 'date-format' } });
    expect(walk([...base, { type: 'text', text: 'x'.repeat(5000) }]).view).toMatchObject({ error: { code: 'date-format' } });
    expect(walk([...base, { type: 'text', text: '01.01.1990' }]).view).toMatchObject({ error: { code: 'date-too-old' } });
  });

  it('refuses numbers out of range', () => {
    const r = walk([
      { type: 'choose', node: 'who', option: 1 },
      { type: 'text', text: '12.02.2026' },
      { type: 'text', text: '13' },
    ]);
    expect(r.view).toMatchObject({ kind: 'question', node: 'months', error: { code: 'number-range', params: { min: 1, max: 12 } } });
  });

  it('goes back one question and forgets the answer given there', () => {
    const r = walk([
      { type: 'choose', node: 'who', option: 1 },
      { type: 'text', text: '12.02.2026' },
      { type: 'back' },
    ]);
    expect(r.view).toMatchObject({ kind: 'question', node: 'entry' });
    expect(r.state.answers).toEqual({ who: 'other' });
    expect(walk([{ type: 'back' }]).view).toMatchObject({ error: { code: 'nothing-to-go-back-to' } });
  });

  it('answers a button from another question as stale without moving', () => {
    const r = walk([
      { type: 'choose', node: 'who', option: 1 },
      { type: 'choose', node: 'who', option: 0 },
    ]);
    expect(r.view).toMatchObject({ kind: 'question', node: 'entry', error: { code: 'stale' } });
  });

  it('keeps a run going when the flow is edited and its node still exists', () => {
    const state: RunState = { flowId: 'demo', version: 1, node: 'months', answers: { who: 'other', entry: '2026-02-12', gone: 'x' }, stack: ['who', 'entry'] };
    const edited = parseFlow('demo.yaml', source(2));
    const r = reconcile(edited, state);
    expect(r.restarted).toBe(false);
    expect(r.state).toMatchObject({ version: 2, node: 'months', answers: { who: 'other', entry: '2026-02-12' } });
  });

  it('restarts cleanly when the user’s node was removed from the flow', () => {
    const state: RunState = { flowId: 'demo', version: 1, node: 'removed-node', answers: {}, stack: [] };
    const r = reconcile(parseFlow('demo.yaml', source(2)), state);
    expect(r).toEqual({ restarted: true, state: { flowId: 'demo', version: 2, node: 'who', answers: {}, stack: [] } });
  });

  it('reports a date it cannot compute instead of guessing', () => {
    const r = walk(
      [
        { type: 'choose', node: 'who', option: 1 },
        { type: 'text', text: '20.12.2027' },
        { type: 'text', text: '1' },
      ],
      new Date('2027-12-25T12:00:00+03:00'),
    );
    expect(r.view).toMatchObject({ kind: 'outcome', dateError: { year: 2028 } });
  });
});
