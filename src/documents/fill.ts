/**
 * Fills a template from the user's facts: a pure function, so the same text goes
 * into the chat message, the PDF and the tests. What is unknown stays a visible blank
 * «________» with a Russian hint under its line: a document is always produced.
 */
import { formatRu } from '../lib/iso-date.js';
import type { FactMap, FactValue } from '../situation/schema.js';
import type { SituationModel } from '../situation/model.js';
import { TODAY_FIELD } from './documents.js';
import { type DocumentTemplate, PLACEHOLDER } from './schema.js';

/** What an unknown value looks like in the text: long enough to write a name by hand. */
export const BLANK = '________';

export interface FilledLine {
  text: string;
  /** Hints of the blanks on this line, shown under it. */
  hints: string[];
  /** A heading (a body line written `# …`): bold in the PDF. */
  heading: boolean;
}

export interface FilledDocument {
  title: string;
  lines: FilledLine[];
  /** Fields written in from facts, and fields left blank (for tests and logs: names only). */
  filled: string[];
  blank: string[];
}

/** A fact value as Russian text: dates DD.MM.YYYY, a choice by its Russian label. */
function formatValue(model: SituationModel | undefined, factId: string, value: FactValue): string | undefined {
  const def = model?.facts[factId];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || !value) return undefined;
  if (def?.type === 'choice') return def.options.find((o) => o.id === value)?.text.trim();
  if (def?.type === 'datetime' || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return `${formatRu(value.slice(0, 10))} ${value.slice(11, 16)}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatRu(value);
  return value;
}

export function fillDocument(doc: DocumentTemplate, facts: FactMap, today: string, model?: SituationModel): FilledDocument {
  const filled = new Set<string>();
  const blank = new Set<string>();
  const lines = doc.body.trimEnd().split('\n').map((source): FilledLine => {
    const heading = source.startsWith('# ');
    const raw = heading ? source.slice(2) : source;
    const hints: string[] = [];
    const text = raw.replace(PLACEHOLDER, (_m, name: string) => {
      if (name === TODAY_FIELD) return formatRu(today);
      const field = doc.fields[name];
      const raw = field?.fact !== undefined ? facts[field.fact] : undefined;
      const skip = typeof raw === 'string' && field?.blank_if?.includes(raw);
      const value = raw !== undefined && !skip ? formatValue(model, field!.fact!, raw) : undefined;
      if (value) {
        filled.add(name);
        return value;
      }
      blank.add(name);
      if (field) hints.push(field.hint.trim());
      return BLANK;
    });
    return { text: text.trimEnd(), hints, heading };
  });
  return { title: doc.title.trim(), lines, filled: [...filled], blank: [...blank] };
}

/** The filled text as plain lines, each blank's hint on its own line below («↑ …»). */
export function documentPlainText(doc: FilledDocument): string {
  return doc.lines.flatMap((l) => (l.hints.length ? [l.text, `   ↑ ${l.hints.join('; ')}`] : [l.text])).join('\n');
}
