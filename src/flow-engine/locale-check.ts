/**
 * Keeps flows and locales consistent: the Russian flow texts in `locales/ru/flows.json`
 * match the flow files (like a lockfile), and every language has every key with the
 * same placeholders and valid Telegram HTML.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Resources } from '../i18n/i18n.js';
import { LANGUAGES } from '../i18n/languages.js';
import { checkTelegramHtml } from '../lib/telegram-html.js';
import { flattenKeys, flowSourceTexts, placeholdersOf } from './flow-texts.js';
import type { Flow } from './schema.js';
import type { SituationModel } from '../situation/model.js';
import { modelSourceTexts } from '../situation/model-texts.js';
import { type DocumentSet, documentSourceTexts } from '../documents/documents.js';
import { compareText } from '../lib/compare-text.js';

/** The `locales/ru/flows.json` the flow files (and the situation model's facts and rules) imply. */
export function expectedRussianFlowTexts(flows: Flow[], model?: SituationModel, documents?: DocumentSet): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries([...flows].sort((a, b) => compareText(a.id, b.id)).map((f) => [f.id, flowSourceTexts(f)]));
  if (model) Object.assign(out, modelSourceTexts(model));
  if (documents?.list.length) out.documents = documentSourceTexts(documents);
  return out;
}

/**
 * `locales/sources.lock.json`: for each language and key, a hash of the Russian text
 * the translation was made from. When a lawyer changes the Russian wording, the
 * translations made from the old wording are reported as stale until updated.
 */
export type SourcesLock = Record<string, Record<string, string>>;

const hashText = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 12);

/** Marks every current translation of `languages` as made from the current Russian text. */
export function acceptTranslations(resources: Resources, lock: SourcesLock, languages: readonly string[]): SourcesLock {
  const next: SourcesLock = { ...lock };
  for (const lng of languages) {
    if (lng === 'ru') continue;
    const entries: Record<string, string> = {};
    for (const ns of ['common', 'flows']) {
      for (const [key, text] of flattenKeys(resources.ru?.[ns] ?? {})) {
        if (flattenKeys(resources[lng]?.[ns] ?? {}).has(key)) entries[`${ns}:${key}`] = hashText(text);
      }
    }
    next[lng] = Object.fromEntries(Object.entries(entries).sort());
  }
  return next;
}

export function checkTranslationFreshness(resources: Resources, lock: SourcesLock): string[] {
  const problems: string[] = [];
  for (const [lng, entries] of Object.entries(lock)) {
    let stale = 0;
    for (const ns of ['common', 'flows']) {
      for (const [key, text] of flattenKeys(resources.ru?.[ns] ?? {})) {
        const made = entries[`${ns}:${key}`];
        if (made !== undefined && made !== hashText(text) && stale++ < 5) {
          problems.push(`locales/${lng}/${ns}.json "${key}": translated from an older Russian text; update it, then \`npm run flows:sync -- --accept ${lng}\``);
        }
      }
    }
  }
  return problems;
}

export function checkLocales(flows: Flow[], resources: Resources, model?: SituationModel, documents?: DocumentSet): string[] {
  const problems: string[] = [];
  const ru = resources.ru ?? {};
  if (!isDeepStrictEqual(ru.flows ?? {}, expectedRussianFlowTexts(flows, model, documents))) {
    problems.push('locales/ru/flows.json is out of date with flows/: run `npm run flows:sync`');
  }
  for (const flow of flows) {
    for (const [id, node] of Object.entries(flow.nodes)) {
      if (node.type !== 'outcome') continue;
      const known = new Set(node.dates.map((d) => d.id));
      for (const p of placeholdersOf(node.text)) {
        if (!known.has(p)) problems.push(`flow "${flow.id}" node "${id}": text uses {{${p}}}, which is not one of its dates`);
      }
    }
  }
  for (const ns of ['common', 'flows']) {
    const source = flattenKeys(ru[ns] ?? {});
    for (const lng of LANGUAGES) {
      const keys = flattenKeys(resources[lng]?.[ns] ?? {});
      let missing = 0;
      for (const [key, ruText] of source) {
        const text = keys.get(key);
        if (text === undefined) {
          if (missing++ < 5) problems.push(`locales/${lng}/${ns}.json: missing "${key}"`);
          continue;
        }
        const want = placeholdersOf(ruText).join(',');
        const got = placeholdersOf(text).join(',');
        if (want !== got) problems.push(`locales/${lng}/${ns}.json "${key}": placeholders {${got}} differ from Russian {${want}}`);
        for (const p of checkTelegramHtml(text)) problems.push(`locales/${lng}/${ns}.json "${key}": ${p}`);
      }
      if (missing > 5) problems.push(`locales/${lng}/${ns}.json: … and ${missing - 5} more missing keys`);
      for (const key of keys.keys()) {
        if (!source.has(key)) problems.push(`locales/${lng}/${ns}.json: "${key}" is not in Russian (left over?)`);
      }
    }
  }
  return problems;
}
