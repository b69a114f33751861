/**
 * Where the situation model's texts live in i18next: `flows.json` → `facts.<id>…` and
 * `rules.<id>…`, beside the flows' own texts. The Russian wording is written inline in
 * `flows/facts.yaml` and `flows/rules.yaml`; `flows:sync` copies it to `locales/ru`.
 */
import type { SituationModel } from './model.js';
import { compareText } from '../lib/compare-text.js';

export const modelKeys = {
  factLabel: (id: string) => `facts.${id}.label`,
  factText: (id: string) => `facts.${id}.text`,
  factOption: (id: string, option: string) => `facts.${id}.options.${option}`,
  fieldText: (id: string, field: string) => `facts.${id}.fields.${field}.text`,
  fieldLabel: (id: string, field: string) => `facts.${id}.fields.${field}.label`,
  ruleTitle: (id: string) => `rules.${id}.title`,
  ruleText: (id: string) => `rules.${id}.text`,
  ruleUncertain: (id: string) => `rules.${id}.uncertain`,
};

type Tree = { [k: string]: string | Tree };

const clean = (s: string) => s.trim();

/** The Russian source texts of the model, shaped as their `flows.json` entries. */
export function modelSourceTexts(model: SituationModel): Tree {
  const facts: Tree = {};
  for (const [id, f] of Object.entries(model.facts).sort(([a], [b]) => compareText(a, b))) {
    const entry: Tree = { label: clean(f.label), text: clean(f.text) };
    if (f.type === 'choice') entry.options = Object.fromEntries(f.options.map((o) => [o.id, clean(o.text)]));
    if (f.type === 'records') {
      entry.fields = Object.fromEntries(Object.entries(f.fields).map(([k, v]) => [k, { text: clean(v.text), label: clean(v.label) }]));
    }
    facts[id] = entry;
  }
  const rules: Tree = {};
  for (const r of [...model.rules].sort((a, b) => compareText(a.id, b.id))) {
    if (r.kind === 'derive') continue;
    const entry: Tree = { title: clean(r.title), text: clean(r.text) };
    if (r.uncertain) entry.uncertain = clean(r.uncertain);
    rules[r.id] = entry;
  }
  return { facts, rules };
}
