/**
 * i18next set up for Telegram: texts are Telegram HTML, so interpolated values are
 * escaped for it (and only for it); missing keys fall back to Russian and are
 * reported by `flows:check` long before a user could see one.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import i18next, { type i18n, type InitOptions, type TFunction } from 'i18next';
import { escapeHtml } from '../lib/telegram-html.js';
import { FALLBACK_LANGUAGE, LANGUAGES, type Language } from './languages.js';

export const NAMESPACES = ['common', 'flows'] as const;

/**
 * A value that is already Telegram HTML (a date we formatted, a translated label, a
 * list of links we built): interpolated as it is, while every other value is
 * escaped. The mark is on the value, not on the call, because i18next rebuilds its
 * interpolation regexes for every call that passes `interpolation` options (a third
 * of an answer screen's rendering time went there).
 */
export class TrustedHtml {
  constructor(readonly html: string) {}
  toString() {
    return this.html;
  }
}

export const trusted = (html: string) => new TrustedHtml(html);

/** i18next's escape: values arrive as they are (`useRawValueToEscape`), so marked ones pass. */
function escapeValue(value: unknown): string {
  if (value instanceof TrustedHtml) return value.html;
  return value == null ? '' : escapeHtml(String(value));
}

export type Resources = Record<string, Record<string, unknown>>;

/** Reads `locales/<lng>/<ns>.json` for every language. */
export async function readLocales(dir: string): Promise<Resources> {
  const resources: Resources = {};
  // Read all at once: 2 MB in 14 files, one after another, was a twentieth of a cold start.
  const languages = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()); // sources.lock.json sits beside the language folders
  const files = (await Promise.all(languages.map(async ({ name: lng }) => (await readdir(join(dir, lng))).filter((f) => f.endsWith('.json')).map((f) => [lng, f] as const)))).flat();
  const texts = await Promise.all(files.map(([lng, f]) => readFile(join(dir, lng, f), 'utf8')));
  files.forEach(([lng, f], i) => {
    resources[lng] ??= {};
    resources[lng][f.replace(/\.json$/, '')] = JSON.parse(texts[i]!);
  });
  return resources;
}

export interface Translator {
  /** A `t` bound to one language, for one user's messages. */
  forLanguage(lng: Language): TFunction;
  /** Replaces texts of a namespace (local mode's flow reload) and forgets memoised ones. */
  replaceTexts(lng: Language, ns: string, texts: Record<string, unknown>): void;
}

/**
 * A `t` for one language. Plain lookups (a key, optionally with a namespace, and no
 * values to interpolate) are computed once: screens are mostly such lookups, and
 * i18next resolves each one afresh (about 30 µs). Lookups with values go to
 * `instance.t` with the language, not through `getFixedT`, which copies all of
 * i18next's options for every call (most of an answer screen's time).
 */
/** Options that change how i18next resolves or renders a text: such lookups keep i18next's own path. */
const SPECIAL_OPTIONS = new Set(['count', 'context', 'returnObjects', 'defaultValue', 'lng', 'lngs', 'fallbackLng', 'interpolation', 'postProcess', 'replace', 'joinArrays', 'keySeparator', 'nsSeparator', 'ordinal']);
/** Cached in place of a template that i18next must render itself. */
const NOT_SIMPLE = '\u0000';
const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/**
 * A text whose placeholders we can fill ourselves: found in this very language (no
 * fallback), a string, with plain `{{name}}` placeholders only (no `$t(` nesting, no
 * `{{- raw}}`, no formats). `null`: use i18next.
 */
function simpleTemplate(instance: i18n, lng: Language, ns: string, key: string): string | null {
  const text = instance.getResource(lng, ns, key);
  if (typeof text !== 'string' || text.includes('$t(') || text.includes('{{-')) return null;
  for (const m of text.matchAll(PLACEHOLDER)) if (m[1]!.includes(',')) return null;
  return text;
}

function memoised(instance: i18n, lng: Language, cache: Map<string, string>): TFunction {
  const t = instance.getFixedT(lng);
  const translate = instance.t.bind(instance) as (k: unknown, o?: unknown) => string;
  /**
   * Values into a simple template, escaped as i18next would (trusted HTML as it is): the
   * same text at a fifth of the cost, and answer screens fill dozens. Anything else, and
   * a placeholder without a value, goes to i18next (tests compare every key with it).
   */
  const fill = (key: string, options: Record<string, unknown>): string | undefined => {
    for (const k in options) if (SPECIAL_OPTIONS.has(k)) return undefined;
    const ns = typeof options.ns === 'string' ? options.ns : 'common';
    // Kept in the same cache as plain lookups, so a reload of the texts forgets them too.
    const id = `\u0001${ns}:${key}`;
    let template = cache.get(id);
    if (template === undefined) {
      template = simpleTemplate(instance, lng, ns, key) ?? NOT_SIMPLE;
      cache.set(id, template);
    }
    if (template === NOT_SIMPLE) return undefined;
    let missing = false;
    const out = template.replace(PLACEHOLDER, (_, name: string) => {
      const v = options[name];
      if (v === undefined || (typeof v === 'object' && v !== null && !(v instanceof TrustedHtml))) missing = true;
      return escapeValue(v);
    });
    return missing ? undefined : out;
  };
  const wrapped = ((key: string | string[], options?: unknown) => {
    const plain = typeof key === 'string' && (options === undefined || (typeof options === 'object' && options !== null && Object.keys(options).length === 1 && 'ns' in options));
    if (!plain) {
      if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
        return (typeof key === 'string' ? fill(key, options as Record<string, unknown>) : undefined) ?? translate(key, { lng, ...options });
      }
      return (t as (k: unknown, o?: unknown) => string)(key, options);
    }
    const id = `${(options as { ns?: string } | undefined)?.ns ?? ''}:${key}`;
    let text = cache.get(id);
    if (text === undefined) {
      text = (t as (k: unknown, o?: unknown) => string)(key, options);
      cache.set(id, text);
    }
    return text;
  }) as unknown as TFunction;
  return wrapped;
}

/** i18next's options for our resources (exported so a test can build plain i18next beside ours). */
export function i18nextOptions(resources: Resources): InitOptions {
  return {
    resources: resources as InitOptions['resources'],
    supportedLngs: [...LANGUAGES],
    fallbackLng: FALLBACK_LANGUAGE,
    ns: [...NAMESPACES],
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    interpolation: { escape: escapeValue, escapeValue: true, useRawValueToEscape: true },
  };
}

export async function createTranslator(resources: Resources): Promise<Translator> {
  const instance = i18next.createInstance();
  await instance.init(i18nextOptions(resources));
  const fixed = new Map<Language, TFunction>();
  const caches = new Map<Language, Map<string, string>>();
  for (const lng of LANGUAGES) {
    const cache = new Map<string, string>();
    caches.set(lng, cache);
    fixed.set(lng, memoised(instance, lng, cache));
  }
  return {
    forLanguage: (lng) => fixed.get(lng)!,
    replaceTexts: (lng, ns, texts) => {
      instance.addResourceBundle(lng, ns, texts, true, true);
      for (const c of caches.values()) c.clear();
    },
  };
}
