/** A date-time question: typed in the user's time zone, refused when impossible or in the future, taken from a known fact. */
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../src/calendar/working-days.js';
import { parseFlow } from '../../src/flow-engine/loader.js';
import { startRun, step } from '../../src/flow-engine/step.js';

const flow = parseFlow(
  'hold.yaml',
  `
id: hold
version: 1
topic: general
title: Задержание
start: brought
nodes:
  brought:
    type: datetime
    text: Когда вас доставили?
    next:
      - if: { days_since: brought, gt: 0 }
        goto: out-yesterday
      - goto: out-today
  out-today:
    type: outcome
    text: Сегодня.
    citations: [{ law: "КоАП РФ", article: "27.5" }]
    reviewed_on: 2026-12-06
  out-yesterday:
    type: outcome
    text: Раньше.
    citations: [{ law: "КоАП РФ", article: "27.5" }]
    reviewed_on: 2026-12-06
`,
);
const now = new Date('2026-12-31T23:30:00+03:00');
const deps = { calendar: createWorkingCalendar() };
const start = step(flow, startRun(flow), { type: 'start' }, now, deps);

describe('a date-time question', () => {
  it('reads "31.12.2026 22:30" in Moscow time and routes on its day', () => {
    const r = step(flow, start.state, { type: 'text', text: '31.12.2026 22:30' }, now, deps);
    expect(r.state.answers.brought).toBe('2026-12-31T22:30+03:00');
    expect(r.view.node).toBe('out-today');
  });

  it('reads the time in the region’s zone when it is known', () => {
    const r = step(flow, start.state, { type: 'text', text: '01.01.2027 03:10' }, now, { ...deps, utcOffset: 7 });
    // 03:10 in UTC+7 is 23:10 Moscow time on 31.12: not in the future.
    expect(r.state.answers.brought).toBe('2027-01-01T03:10+07:00');
  });

  it('refuses 25:00, a time in the future and words, with the reason', () => {
    expect(step(flow, start.state, { type: 'text', text: '31.12.2026 25:00' }, now, deps).view).toMatchObject({ kind: 'question', error: { code: 'datetime-format' } });
    expect(step(flow, start.state, { type: 'text', text: '31.12.2026 23:59' }, now, deps).view).toMatchObject({ error: { code: 'datetime-future' } });
    expect(step(flow, start.state, { type: 'text', text: 'вчера' }, now, deps).view).toMatchObject({ error: { code: 'datetime-format' } });
  });
});
