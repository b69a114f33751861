/**
 * The draft of the guided SOS branches (docs/drafts/sos-branches.yaml) is data the lead will
 * wire onto the situation model; these checks keep it whole until then: every text in all
 * seven languages with the same placeholders, every time limit tied to a fact-sheet section,
 * every answer with citations, and no advice to resist, run, bribe or hide.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const LANGUAGES = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'];
type Texts = Record<string, string>;
// biome-ignore lint/suspicious/noExplicitAny: a draft document walked generically
let draft: any;
beforeAll(async () => {
  draft = parse(await readFile('docs/drafts/sos-branches.yaml', 'utf8'));
});

/** Every multilingual text in the draft, with where it is. */
function texts(node: unknown, path: string[] = [], out: { path: string; texts: Texts }[] = []) {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    const obj = node as Record<string, unknown>;
    if (typeof obj.ru === 'string') out.push({ path: path.join('.'), texts: obj as Texts });
    else for (const [k, v] of Object.entries(obj)) texts(v, [...path, k], out);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] ?? '').sort();

describe('docs/drafts/sos-branches.yaml', () => {
  it('drafts the six branches of issue 13 and the question that leads to them', () => {
    expect(Object.keys(draft.branches)).toEqual(['held-at-station', 'sign-protocol', 'court-hearing', 'decision', 'relative-disappeared', 'passport-taken']);
    expect(Object.keys(draft.entry.options)).toEqual(Object.keys(draft.branches));
  });

  it('has every text in all seven languages, with the same placeholders and balanced tags', () => {
    const all = texts(draft.entry).concat(texts(draft.branches));
    expect(all.length).toBeGreaterThan(45);
    for (const { path, texts: t } of all) {
      expect(Object.keys(t).sort(), path).toEqual([...LANGUAGES].sort());
      for (const lng of LANGUAGES) {
        expect(t[lng]?.trim().length, `${path}.${lng}`).toBeGreaterThan(0);
        expect(placeholders(t[lng]!), `${path}.${lng}`).toEqual(placeholders(t.ru!));
        for (const tag of ['b', 'code']) {
          expect(t[lng]!.split(`<${tag}>`).length, `${path}.${lng} <${tag}>`).toBe(t[lng]!.split(`</${tag}>`).length);
        }
      }
    }
  });

  it('explains every placeholder: a computed value, or a block of the same branch', () => {
    for (const [id, branch] of Object.entries<{ blocks?: object }>(draft.branches)) {
      const known = new Set([...Object.keys(draft.placeholders), ...Object.keys(branch.blocks ?? {})]);
      for (const { path, texts: t } of texts(branch)) {
        for (const p of placeholders(t.ru!)) expect(known.has(p), `${id}.${path}: {${p}}`).toBe(true);
      }
    }
  });

  it('ties every time limit to a law and a fact-sheet section, quoted, with a confidence', () => {
    for (const [id, limit] of Object.entries<Record<string, string>>(draft.time_limits)) {
      expect(limit.law, id).toBeTruthy();
      expect(limit.sheet, id).toMatch(/^[DRPCU] (§\d|"Uncertain")/);
      expect(limit.quote?.length, id).toBeGreaterThan(10);
      expect(limit.confidence, id).toBeTruthy();
    }
    for (const [id, branch] of Object.entries<{ rules: unknown[] }>(draft.branches)) {
      for (const rule of branch.rules) {
        if (typeof rule !== 'object') continue;
        for (const limit of (rule as { limits?: string[] }).limits ?? []) expect(draft.time_limits[limit], `${id}: ${limit}`).toBeDefined();
      }
    }
  });

  it('gives every answer its citations and a way to a lawyer', () => {
    for (const [id, branch] of Object.entries<{ outcomes: Record<string, { citations: unknown[]; escalate: string }> }>(draft.branches)) {
      for (const [name, outcome] of Object.entries(branch.outcomes)) {
        expect(outcome.citations.length, `${id}.${name}`).toBeGreaterThan(0);
        expect(['urgent', 'offer'], `${id}.${name}`).toContain(outcome.escalate);
      }
    }
  });

  it('never advises resisting, running away, bribing or hiding (Russian source)', () => {
    const forbidden = /убег|убеж|скройт|скрыв|спряч|прячь|взятк|договоритесь|заплатите на месте|не открывайте|сопротивл/i;
    for (const { path, texts: t } of texts(draft.branches)) expect(t.ru, path).not.toMatch(forbidden);
  });
});
