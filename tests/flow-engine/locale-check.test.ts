import { describe, expect, it } from 'vitest';
import { acceptTranslations, checkLocales, checkTranslationFreshness } from '../../src/flow-engine/locale-check.js';
import { parseFlow } from '../../src/flow-engine/loader.js';

const flow = parseFlow(
  'f.yaml',
  `id: f\nversion: 1\ntopic: general\ntitle: Тема\nstart: o\nnodes:\n  o:\n    type: outcome\n    text: До {{d}}.\n    citations: [{ law: 115-ФЗ }]\n    reviewed_on: 2026-11-25\n    dates: [{ id: d, label: Срок, date: { from: today } }]\n`,
);
const ru = { common: { hello: 'Привет, {{name}}' }, flows: { f: { title: 'Тема', nodes: { o: { text: 'До {{d}}.', dates: { d: 'Срок' } } } } } };
const en = { common: { hello: 'Hello, {{name}}' }, flows: { f: { title: 'Topic', nodes: { o: { text: 'By {{d}}.', dates: { d: 'Deadline' } } } } } };

describe('locale checks', () => {
  it('reports a missing key and a changed placeholder in a translation', () => {
    const p = checkLocales([flow], { ru, en: { common: { hello: 'Hello, {{user}}' }, flows: { f: { title: 'Topic', nodes: { o: { text: 'By {{d}}.' } } } } } });
    expect(p).toContain('locales/en/common.json "hello": placeholders {user} differ from Russian {name}');
    expect(p).toContain('locales/en/flows.json: missing "f.nodes.o.dates.d"');
  });

  it('reports a translation made from Russian wording that a lawyer has since changed', () => {
    const lock = acceptTranslations({ ru, en }, {}, ['en']);
    expect(checkTranslationFreshness({ ru, en }, lock)).toEqual([]);
    const edited = { ...ru, flows: { f: { ...ru.flows.f, nodes: { o: { text: 'Не позднее {{d}}.', dates: { d: 'Срок' } } } } } };
    expect(checkTranslationFreshness({ ru: edited, en }, lock)).toEqual([
      expect.stringContaining('locales/en/flows.json "f.nodes.o.text": translated from an older Russian text'),
    ]);
  });
});
