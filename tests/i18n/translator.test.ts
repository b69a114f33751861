/**
 * The translator's fast paths (memoised plain lookups, values marked as trusted
 * HTML instead of per-call i18next options) must give exactly what i18next gives,
 * for every key in every language, and must escape what a user typed.
 */
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { createTranslator, i18nextOptions, NAMESPACES, readLocales, trusted } from '../../src/i18n/i18n.js';
import { LANGUAGES } from '../../src/i18n/languages.js';
import { escapeHtml } from '../../src/lib/telegram-html.js';

const resources = await readLocales('locales');
const translator = await createTranslator(resources);
// i18next as configured before the fast paths: escaping per call, raw values by option.
const reference = i18next.createInstance();
await reference.init({ ...i18nextOptions(resources), interpolation: { escape: escapeHtml, escapeValue: true } });

/** Every key of a namespace with the placeholders its texts use (plural forms folded into their base key). */
function keysWithPlaceholders(): { ns: string; key: string; names: string[] }[] {
  const found = new Map<string, Set<string>>();
  const walk = (ns: string, node: unknown, path: string[]) => {
    if (typeof node === 'string') {
      const key = `${ns}|${path.join('.').replace(/_(zero|one|two|few|many|other)$/, '')}`;
      const names = found.get(key) ?? new Set<string>();
      for (const m of node.matchAll(/\{\{-?\s*(\w+)\s*\}\}/g)) names.add(m[1]!);
      found.set(key, names);
    } else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(ns, v, [...path, k]);
  };
  for (const lng of Object.keys(resources)) for (const ns of NAMESPACES) walk(ns, resources[lng]?.[ns], []);
  return [...found].map(([k, names]) => ({ ns: k.split('|')[0]!, key: k.split('|')[1]!, names: [...names] }));
}

const keys = keysWithPlaceholders();
const TYPED = 'Tom & <Jerry> "x"';

describe('translator', () => {
  it('knows a good number of texts with values', () => {
    expect(keys.filter((k) => k.names.length).length).toBeGreaterThan(40);
  });

  it.each([...LANGUAGES])('gives exactly what i18next gives for every key in %s, escaped and trusted', (lng) => {
    const t = translator.forLanguage(lng);
    const ref = reference.getFixedT(lng);
    for (const { ns, key, names } of keys) {
      for (const count of [1, 3]) {
        const plain = Object.fromEntries(names.map((n) => [n, n === 'count' ? count : `${TYPED} ${n}`]));
        expect(t(key, { ns, ...plain }), `${lng} ${ns}:${key}`).toBe(ref(key, { ns, ...plain }));
        const marked = Object.fromEntries(names.map((n) => [n, n === 'count' ? count : trusted(`<b>${n}</b>`)]));
        const raw = Object.fromEntries(names.map((n) => [n, n === 'count' ? count : `<b>${n}</b>`]));
        expect(t(key, { ns, ...marked }), `${lng} ${ns}:${key} trusted`).toBe(ref(key, { ns, ...raw, interpolation: { escapeValue: false } }));
      }
      if (!names.length) expect(t(key, { ns })).toBe(ref(key, { ns }));
    }
  });

  it('escapes what a user typed, so it cannot break the message formatting', () => {
    const t = translator.forLanguage('en');
    const out = t('cases.preview', { text: '<b>help</b> & thanks' });
    expect(out).toContain('&lt;b&gt;help&lt;/b&gt; &amp; thanks');
    expect(out).not.toContain('<b>help</b>');
  });
});
