/**
 * Every rule of flows/rules.yaml against its hand-counted scenarios
 * (flows/rules.scenarios.yaml): facts as of a day → the legal and advised dates.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { createWorkingCalendar } from '../../src/calendar/working-days.js';
import { evaluateSituation } from '../../src/situation/evaluate.js';
import { loadModel } from '../../src/situation/model.js';

const day = z.union([z.string(), z.date()]).transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10)));
const factValue = z.union([z.string(), z.number(), z.date().transform((d) => d.toISOString().slice(0, 10)), z.array(z.record(z.string(), z.union([z.number(), day])))]);
const file = z.strictObject({
  scenarios: z.array(
    z.strictObject({
      name: z.string(),
      today: day,
      facts: z.record(z.string(), factValue),
      deadlines: z
        .record(z.string(), z.strictObject({ legal: day, non_working: z.boolean().optional(), next_working: day.optional(), advised: day.optional(), provisional: z.boolean().optional() }))
        .optional(),
      statuses: z.record(z.string(), day).optional(),
      derived: z.record(z.string(), day).optional(),
      absent: z.array(z.string()).optional(),
    }),
  ),
});

const { scenarios } = file.parse(parse(readFileSync('flows/rules.scenarios.yaml', 'utf8')));
const model = await loadModel('flows');
const calendar = createWorkingCalendar();

describe('rule scenarios', () => {
  it.each(scenarios)('$name', (s) => {
    const situation = evaluateSituation(model, s.facts as never, s.today, calendar);
    for (const [id, want] of Object.entries(s.deadlines ?? {})) {
      const got = situation.items.find((i) => i.kind === 'deadline' && i.rule.id === id);
      expect(got, `deadline "${id}" does not apply`).toBeDefined();
      if (got?.kind !== 'deadline') continue;
      expect(got.legal.value, `${id}: legal last day`).toBe(want.legal);
      if (want.advised) expect(got.advised, `${id}: advised day`).toBe(want.advised);
      if (want.non_working !== undefined) expect(got.legal.nonWorking, `${id}: on a day off`).toBe(want.non_working);
      if (want.next_working) expect(got.legal.nextWorkingDay, `${id}: moved to`).toBe(want.next_working);
      if (want.provisional !== undefined) expect(got.provisional, `${id}: 2027 calendar caveat`).toBe(want.provisional);
      if (got.advised) expect(got.advised <= got.legal.value.slice(0, 10), `${id}: advised day after the legal one`).toBe(true);
    }
    for (const [id, since] of Object.entries(s.statuses ?? {})) {
      const got = situation.items.find((i) => i.kind === 'status' && i.rule.id === id);
      expect(got?.kind === 'status' ? got.since : undefined, `status "${id}"`).toBe(since);
    }
    for (const [id, value] of Object.entries(s.derived ?? {})) expect(situation.facts[id], `derived "${id}"`).toBe(value);
    for (const id of s.absent ?? []) expect(situation.items.map((i) => i.rule.id), `"${id}" should not apply`).not.toContain(id);
  });

  it('covers every deadline and status rule with at least one scenario', () => {
    const covered = new Set(scenarios.flatMap((s) => [...Object.keys(s.deadlines ?? {}), ...Object.keys(s.statuses ?? {})]));
    const uncovered = model.rules.filter((r) => r.kind !== 'derive' && !covered.has(r.id)).map((r) => r.id);
    expect(uncovered).toEqual([]);
  });
});
