/**
 * Document templates are content like flows: a template with a placeholder it does not
 * declare, a field it never uses, or a fact the model does not have is refused with its
 * name, by the loader (the bot does not start) and by `flows:check`.
 */
import { describe, expect, it } from 'vitest';
import { checkFlowDocuments, createDocumentSet, loadDocuments, parseDocument } from '../../src/documents/documents.js';
import { BLANK, documentPlainText, fillDocument } from '../../src/documents/fill.js';
import { renderDocumentPdf } from '../../src/documents/pdf.js';
import { FlowDefinitionError } from '../../src/flow-engine/errors.js';
import { loadContent } from '../../src/situation/content.js';
import { embedsTrueTypeFonts, pdfText } from './pdf-text.js';

const { model, flows } = await loadContent('flows');

const template = (body: string, fields = '') => `
id: sample
version: 1
title: Образец
explanation: Объяснение.
fields:
${fields || '  employer:\n    hint: работодатель'}
body: |
${body
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
citations: [{ law: ТК РФ, article: "62" }]
reviewed_on: 2026-12-06
`;

const problemsOf = (source: string): string[] => {
  try {
    parseDocument('documents/sample.yaml', source, model);
    return [];
  } catch (err) {
    if (!(err instanceof FlowDefinitionError)) throw err;
    return err.problems;
  }
};

describe('template checks', () => {
  it('accepts a template whose placeholders are declared fields or {{today}}', () => {
    expect(problemsOf(template('Кому: {{employer}}\nДата: {{today}}'))).toEqual([]);
  });

  it('names an unknown placeholder', () => {
    expect(problemsOf(template('Кому: {{employer}}, {{employr_name}}'))).toContain(
      'document "sample": body uses {{employr_name}}, which is not one of its fields (declare it under fields, or use {{today}})',
    );
  });

  it('names a field that reads a fact the model does not have, and a field never used', () => {
    const problems = problemsOf(template('Кому: {{employer}}', '  employer:\n    hint: работодатель\n  paid:\n    fact: wage-paid-date\n    hint: дата'));
    expect(problems).toContain('document "sample" field "paid": unknown fact "wage-paid-date" (not in flows/facts.yaml)');
    expect(problems).toContain('document "sample" field "paid": declared but the body never uses {{paid}}');
  });

  it('refuses a records fact (a list cannot be written in) and a blank_if value the fact does not have', () => {
    const problems = problemsOf(
      template('{{p}} {{c}}', '  p:\n    fact: patent-payments\n    hint: оплаты\n  c:\n    fact: citizenship\n    blank_if: [mars]\n    hint: страна'),
    );
    expect(problems).toContain('document "sample" field "p": fact "patent-payments" is a records, which cannot be written into a text');
    expect(problems).toContain('document "sample" field "c": blank_if "mars" is not an option of fact "citizenship"');
  });

  it('refuses an outcome offering a template that does not exist', () => {
    expect(checkFlowDocuments(flows.list, createDocumentSet([]))).toContain(
      'flow "labour" node "out-passport": documents lists "passport-return", which is not a template in flows/documents/',
    );
  });

  it('loads every template in flows/documents, each citing its basis and dated', async () => {
    const docs = await loadDocuments('flows', model);
    expect(docs.list.map((d) => d.id)).toEqual(['asylum-cover', 'interpreter-request', 'labour-inspectorate', 'passport-return', 'wage-claim']);
    for (const d of docs.list) {
      expect(d.citations.length).toBeGreaterThan(0);
      expect(d.reviewed_on).toMatch(/^2026-/);
    }
  });
});

describe('the asylum cover letter (offered by the asylum flow on another branch)', () => {
  it('is filled from citizenship and entry date, with blanks for the rest, and renders as a PDF', async () => {
    const docs = await loadDocuments('flows', model);
    const filled = fillDocument(docs.get('asylum-cover')!, { citizenship: 'uz', 'entry-date': '2026-10-01' }, '2026-12-06', model);
    const text = documentPlainText(filled);
    expect(text).toContain('гражданин(ка) страны: Узбекистан');
    expect(text).toContain('Дата въезда в Россию: 01.10.2026');
    expect(text).toContain(`Адрес: ${BLANK}`);
    expect(filled.blank).toEqual(expect.arrayContaining(['mvd_unit', 'full_name', 'address', 'language']));
    const pdf = await renderDocumentPdf(filled);
    expect(embedsTrueTypeFonts(pdf)).toBe(true);
    expect(await pdfText(pdf)).toContain('СОПРОВОДИТЕЛЬНОЕ ПИСЬМО');
  });

  it('leaves "another country" blank rather than writing it into the letter', async () => {
    const docs = await loadDocuments('flows', model);
    const filled = fillDocument(docs.get('asylum-cover')!, { citizenship: 'other-visa' }, '2026-12-06', model);
    expect(documentPlainText(filled)).toContain(`гражданин(ка) страны: ${BLANK}`);
  });
});
