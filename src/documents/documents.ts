/**
 * Loads and checks the document templates in `flows/documents/`. A template that
 * uses an undeclared placeholder, declares a field it never uses, or reads a fact the
 * situation model does not have is refused with its file and field named, like a bad
 * flow: the bot does not start and `flows:check` fails.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseContentFile } from '../flow-engine/content-file.js';
import { checkedContent } from '../lib/checked-content-cache.js';
import { FlowDefinitionError } from '../flow-engine/errors.js';
import type { Flow } from '../flow-engine/schema.js';
import { checkTelegramHtml } from '../lib/telegram-html.js';
import type { SituationModel } from '../situation/model.js';
import { type DocumentTemplate, documentSchema, PLACEHOLDER } from './schema.js';
import { compareText } from '../lib/compare-text.js';

/** Where templates live, under the flows directory. */
export const DOCUMENTS_DIR = 'documents';
/** The placeholder every template may use without declaring it: the day the text is made. */
export const TODAY_FIELD = 'today';
/** Fact types a template can write in (a records fact is a list, not one value). */
const WRITABLE = new Set(['date', 'datetime', 'choice', 'number']);

export interface DocumentSet {
  readonly list: DocumentTemplate[];
  get(id: string): DocumentTemplate | undefined;
}

export function createDocumentSet(list: DocumentTemplate[]): DocumentSet {
  const byId = new Map(list.map((d) => [d.id, d]));
  return { list: [...list].sort((a, b) => compareText(a.id, b.id)), get: (id) => byId.get(id) };
}

/** The placeholders a body uses, in order of first use. */
export function placeholdersOfBody(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Problems of one parsed template against the situation model's facts. */
export function checkDocument(doc: DocumentTemplate, model?: SituationModel): string[] {
  const problems: string[] = [];
  const used = placeholdersOfBody(doc.body);
  for (const p of used) {
    if (p !== TODAY_FIELD && !doc.fields[p]) problems.push(`document "${doc.id}": body uses {{${p}}}, which is not one of its fields (declare it under fields, or use {{today}})`);
  }
  for (const [name, field] of Object.entries(doc.fields)) {
    if (name === TODAY_FIELD) problems.push(`document "${doc.id}" field "${name}": "today" is built in; do not declare it`);
    if (!used.includes(name)) problems.push(`document "${doc.id}" field "${name}": declared but the body never uses {{${name}}}`);
    if (field.fact && model) {
      const fact = model.facts[field.fact];
      if (!fact) problems.push(`document "${doc.id}" field "${name}": unknown fact "${field.fact}" (not in flows/facts.yaml)`);
      else if (!WRITABLE.has(fact.type)) problems.push(`document "${doc.id}" field "${name}": fact "${field.fact}" is a ${fact.type}, which cannot be written into a text`);
      else if (field.blank_if && fact.type === 'choice') {
        for (const v of field.blank_if) if (!fact.options.some((o) => o.id === v)) problems.push(`document "${doc.id}" field "${name}": blank_if "${v}" is not an option of fact "${field.fact}"`);
      }
    }
  }
  for (const p of checkTelegramHtml(doc.explanation)) problems.push(`document "${doc.id}" explanation: ${p}`);
  return problems;
}

/** Parses and checks one template file's text (the bundle reuses a check its build did: the facts it was checked against are part of the key). */
export function parseDocument(file: string, source: string, model?: SituationModel): DocumentTemplate {
  return checkedContent(
    file,
    source,
    () => {
      const doc = parseContentFile(file, source, documentSchema);
      const problems = checkDocument(doc, model);
      const expected = `${doc.id}.yaml`;
      if (!file.endsWith(expected)) problems.push(`document "${doc.id}": the file must be named ${expected}`);
      if (problems.length) throw new FlowDefinitionError(file, problems);
      return doc;
    },
    model?.facts,
  );
}

/** Reads every template in `<flowsDir>/documents/` (none is fine: the folder is optional). */
export async function loadDocuments(flowsDir: string, model?: SituationModel): Promise<DocumentSet> {
  const dir = join(flowsDir, DOCUMENTS_DIR);
  if (!existsSync(dir)) return createDocumentSet([]);
  const list: DocumentTemplate[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort()) {
    list.push(parseDocument(`${DOCUMENTS_DIR}/${name}`, await readFile(join(dir, name), 'utf8'), model));
  }
  return createDocumentSet(list);
}

/** Outcomes may offer only templates that exist. */
export function checkFlowDocuments(flows: Flow[], documents: DocumentSet): string[] {
  const problems: string[] = [];
  for (const flow of flows) {
    for (const [id, node] of Object.entries(flow.nodes)) {
      if (node.type !== 'outcome') continue;
      for (const doc of node.documents) {
        if (!documents.get(doc)) problems.push(`flow "${flow.id}" node "${id}": documents lists "${doc}", which is not a template in flows/${DOCUMENTS_DIR}/`);
      }
    }
  }
  return problems;
}

export const documentKeys = {
  title: (id: string) => `documents.${id}.title`,
  explanation: (id: string) => `documents.${id}.explanation`,
};

/** The Russian texts of the templates, shaped as their `flows.json` entries. */
export function documentSourceTexts(documents: DocumentSet): Record<string, { title: string; explanation: string }> {
  return Object.fromEntries(documents.list.map((d) => [d.id, { title: d.title.trim(), explanation: d.explanation.trim() }]));
}
