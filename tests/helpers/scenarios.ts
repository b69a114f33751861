/** Reads the path scenarios that live next to the flows (`flows/<id>.scenarios.yaml`). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const isoOrDate = z.union([z.string(), z.date()]).transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10)));

const scenarioFile = z.strictObject({
  flow: z.string(),
  scenarios: z.array(
    z.strictObject({
      name: z.string(),
      today: isoOrDate,
      /** The moment the user answers (ISO with offset), for date-time questions; default: noon Moscow time of `today`. */
      now: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?[+-]\d{2}:\d{2}$/).optional(),
      steps: z.array(
        z.union([
          z.strictObject({ choose: z.string() }),
          z.strictObject({ enter: z.union([z.string(), z.number()]).transform(String) }),
          z.strictObject({ back: z.literal(true) }),
        ]),
      ),
      outcome: z.string(),
      dates: z.record(z.string(), isoOrDate).optional(),
      provisional: z.array(z.string()).optional(),
      /** Situation-model rules the answer lists: rule id → its legal last day (or moment) and advised day. */
      deadlines: z.record(z.string(), z.strictObject({ legal: z.string(), next_working: isoOrDate.optional(), advised: isoOrDate.optional() })).optional(),
      /** Rules the answer lists that must NOT apply to these answers. */
      absent: z.array(z.string()).optional(),
      /**
       * Russian documents the answer offers (template id), filled from this run's answers:
       * texts the filled document contains, and the fields left as visible blanks.
       */
      documents: z.record(z.string(), z.strictObject({ contains: z.array(z.string()).default([]), blank: z.array(z.string()).default([]) })).optional(),
    }),
  ),
});

export type ScenarioFile = z.output<typeof scenarioFile>;
export type Scenario = ScenarioFile['scenarios'][number];

export function loadScenarios(dir = 'flows'): ScenarioFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.scenarios.yaml') && f !== 'rules.scenarios.yaml')
    .sort()
    .map((f) => {
      const parsed = scenarioFile.safeParse(parse(readFileSync(join(dir, f), 'utf8')));
      if (!parsed.success) throw new Error(`${f}: ${parsed.error.message}`);
      return parsed.data;
    });
}
