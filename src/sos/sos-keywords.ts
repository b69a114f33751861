/**
 * Free text that should lead to SOS: detention, police, court, expulsion, a taken
 * passport. The terms are data (`config/sos-keywords.yaml`) so lawyers and
 * translators can add a word without touching code; this module only folds text
 * and matches word starts.
 */
import { readFile } from 'node:fs/promises';
import { parseYaml as parse } from '../lib/yaml-cache.js';
import { z } from 'zod';
import { checkedContent } from '../lib/checked-content-cache.js';

const terms = z.array(z.string().min(2)).min(1);
const languageSchema = z.strictObject({
  alone: terms,
  pairs: z.array(z.strictObject({ first: terms, second: terms })).default([]),
});
const fileSchema = z.strictObject({ languages: z.record(z.string().regex(/^[a-z]{2}$/), languageSchema) });

/** How much of a message is looked at; the rest cannot change the match. */
const MAX_MATCH_TEXT = 1000;

/** Apostrophes Uzbek Latin is written with (oʻ, gʻ), all read as one. */
const APOSTROPHES = /[ʻʼ’‘`´]/g;

/**
 * Lower case, without diacritics, one apostrophe, single spaces: "Qoʻlga OLDI" and
 * "qo'lga oldi" read the same, as do «ЗАДЕРЖАЛИ» and «задержали», «reținut» and
 * «retinut», «həbs» and «hebs».
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(/ə/g, 'e')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, ' ');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A letter or an apostrophe inside a word (Uzbek "o'zbek"). */
const WORD_CHAR = "[\\p{L}\\p{N}']";

/** A term matches at a word start; "…$" must also end the word. */
function termPattern(term: string): string {
  const whole = term.endsWith('$');
  const body = escapeRegExp(foldText(whole ? term.slice(0, -1) : term).trim());
  return `(?<!${WORD_CHAR})${body}${whole ? `(?!${WORD_CHAR})` : ''}`;
}

const anyOf = (list: string[]) => new RegExp(list.map(termPattern).join('|'), 'u');

export interface SosMatch {
  language: string;
  /** What matched, for tests and for editors (never logged: it is the user's text). */
  found: string;
}

export interface SosKeywords {
  /** The first language whose terms the text contains, or undefined. */
  match(text: string): SosMatch | undefined;
}

/**
 * Checks the keyword sets at start (a broken file stops the start) and compiles them once,
 * at the first message, so each message costs a few regex tests; building the patterns is
 * not on the way to the first answer.
 */
export function compileSosKeywords(data: unknown, file = 'sos-keywords.yaml'): SosKeywords {
  return compileCheckedKeywords(checkKeywords(data, file));
}

function checkKeywords(data: unknown, file: string): z.output<typeof fileSchema>['languages'] {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.languages;
}

function compileCheckedKeywords(languages: z.output<typeof fileSchema>['languages']): SosKeywords {
  let compiledSets: { language: string; alone: RegExp; pairs: (readonly [RegExp, RegExp])[] }[] | undefined;
  const compiled = () =>
    (compiledSets ??= Object.entries(languages).map(([language, set]) => ({
      language,
      alone: anyOf(set.alone),
      pairs: set.pairs.map((p) => [anyOf(p.first), anyOf(p.second)] as const),
    })));
  return {
    match(text) {
      const hay = foldText(text.slice(0, MAX_MATCH_TEXT));
      for (const set of compiled()) {
        const alone = set.alone.exec(hay);
        if (alone) return { language: set.language, found: alone[0] };
        for (const [first, second] of set.pairs) {
          const a = first.exec(hay);
          const b = a && second.exec(hay);
          if (a && b) return { language: set.language, found: `${a[0]} + ${b[0]}` };
        }
      }
      return undefined;
    },
  };
}

export async function loadSosKeywords(file: string): Promise<SosKeywords> {
  const text = await readFile(file, 'utf8');
  return compileCheckedKeywords(checkedContent(file, text, () => checkKeywords(parse(text), file)));
}
