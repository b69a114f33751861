/**
 * i18next set up for Telegram: texts are Telegram HTML, so interpolated values are
 * escaped for it (and only for it); missing keys fall back to Russian and are
 * reported by `flows:check` long before a user could see one.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { escapeHtml } from '../lib/telegram-html.js';
import { FALLBACK_LANGUAGE, LANGUAGES, type Language } from './languages.js';

export const NAMESPACES = ['common', 'flows'] as const;

export type Resources = Record<string, Record<string, unknown>>;

/** Reads `locales/<lng>/<ns>.json` for every language. */
export async function readLocales(dir: string): Promise<Resources> {
  const resources: Resources = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue; // sources.lock.json sits beside the language folders
    const lng = entry.name;
    const files = (await readdir(join(dir, lng))).filter((f) => f.endsWith('.json'));
    resources[lng] = {};
    for (const f of files) {
      resources[lng][f.replace(/\.json$/, '')] = JSON.parse(await readFile(join(dir, lng, f), 'utf8'));
    }
  }
  return resources;
}

export interface Translator {
  instance: i18n;
  /** A `t` bound to one language, for one user's messages. */
  forLanguage(lng: Language): TFunction;
}

export async function createTranslator(resources: Resources): Promise<Translator> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: resources as Parameters<typeof instance.init>[0]['resources'],
    supportedLngs: [...LANGUAGES],
    fallbackLng: FALLBACK_LANGUAGE,
    ns: [...NAMESPACES],
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    interpolation: { escape: escapeHtml, escapeValue: true },
  });
  const fixed = new Map<Language, TFunction>();
  for (const lng of LANGUAGES) fixed.set(lng, instance.getFixedT(lng));
  return { instance, forLanguage: (lng) => fixed.get(lng)! };
}
