/** The hot lines: every citizenship has entries with a source, and nobody is shown another country's consulate. */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { SOS_COUNTRIES } from '../../src/bot/sos-card.js';
import { renderContact, renderContactChoice } from '../../src/bot/render-contacts.js';
import { type Contact, chooseContacts, loadContacts, parseContacts } from '../../src/contacts/contacts.js';
import { createTranslator, readLocales } from '../../src/i18n/i18n.js';

let contacts: Contact[];
let t: Awaited<ReturnType<typeof createTranslator>>;
beforeAll(async () => {
  contacts = await loadContacts('config/contacts.yaml');
  t = await createTranslator(await readLocales('locales'));
});

const entry = (over: Record<string, unknown> = {}) =>
  `contacts:\n  - ${Object.entries({ kind: 'hotline', name: 'Линия', source: 'https://example.org', source_date: '2024-03-25', checked_on: '2026-12-06', confidence: 'low', ...over })
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n    ')}\n`;

describe('config/contacts.yaml', () => {
  it('has at least one entry for every citizenship the bot offers, and lines for everyone', () => {
    expect(SOS_COUNTRIES).toEqual(['uz', 'tj', 'kg', 'kz', 'az', 'md', 'am', 'by']);
    for (const country of SOS_COUNTRIES) {
      expect(contacts.filter((c) => c.for.includes(country) && c.urgent).length, country).toBeGreaterThan(0);
    }
    expect(contacts.filter((c) => !c.for.length && c.urgent).length).toBeGreaterThan(0);
  });

  it('gives every entry a source, the source’s date, a check date and a confidence', () => {
    for (const c of contacts) {
      expect(c.source.length, c.name).toBeGreaterThan(5);
      expect(c.source_date).toMatch(/^\d{4}(-\d{2}){0,2}$/);
      expect(c.checked_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['low', 'medium', 'high']).toContain(c.confidence);
    }
  });

  it('claims no call for any number: nobody on the project has called one yet', async () => {
    expect(contacts.filter((c) => c.called_on)).toEqual([]);
    expect(await readFile('config/contacts.yaml', 'utf8')).not.toMatch(/^\s+called_on:/m);
  });
});

describe('parseContacts', () => {
  it('refuses an entry without a source, naming the entry and the field', () => {
    expect(() => parseContacts(entry({ source: '' }), 'x.yaml')).toThrow(/x\.yaml: contacts\.0\.source/);
  });
  it('refuses a kind the translations do not know', () => {
    expect(() => parseContacts(entry({ kind: 'friend' }))).toThrow(/contacts\.0\.kind/);
  });
  it('refuses a citizenship that is not a two-letter code', () => {
    expect(() => parseContacts(entry({ for: ['other'] }))).toThrow(/contacts\.0\.for/);
  });
});

describe('chooseContacts', () => {
  it('shows an Uzbek citizen the Uzbek entries and the general lines, and no Kyrgyz, Moldovan or Tajik line', () => {
    const choice = chooseContacts(contacts, 'uz', { urgentOnly: true });
    expect(choice.forCountry.length).toBeGreaterThan(0);
    expect(choice.forCountry.every((c) => c.for.includes('uz'))).toBe(true);
    const shown = [...choice.forCountry, ...choice.general].map((c) => c.phone).filter(Boolean);
    for (const other of ['+7 925 115-50-47', '+7 929 964-90-79', '+7 966 031-22-22']) expect(shown).not.toContain(other);
  });

  it('without a citizenship, or with one that is not a country code, shows only the general lines', () => {
    for (const citizenship of [undefined, 'other', 'eaeu']) {
      const choice = chooseContacts(contacts, citizenship, { urgentOnly: true });
      expect(choice.citizenship).toBeUndefined();
      expect(choice.forCountry).toEqual([]);
      expect(choice.general.length).toBeGreaterThan(0);
    }
  });
});

describe('rendering', () => {
  it('says in the user’s language that there is no phone for their consulate, with the check date and the warning', () => {
    const uz = t.forLanguage('uz');
    const html = renderContactChoice(uz, chooseContacts(contacts, 'uz', { urgentOnly: true }), 'uz', 'Title');
    expect(html).toContain('Oʻzbekiston: elchixona (посольство)');
    expect(html).toContain('Посольство Республики Узбекистан в РФ');
    expect(html).toContain(uz('helplines.none-for-country', { country: 'Oʻzbekiston' }));
    expect(html).toContain('06.12.2026');
    expect(html).toContain(uz('helplines.change-warning'));
    expect(html).toContain(uz('helplines.general-title'));
  });

  it('marks a number as answered on a call only when someone called it', () => {
    const ru = t.forLanguage('ru');
    const [line] = parseContacts(entry({ phone: '+7 900 000-00-00', for: ['md'] }));
    expect(renderContact(ru, line!)).toContain(ru('helplines.not-called'));
    expect(renderContact(ru, line!)).not.toContain('✅');
    const [called] = parseContacts(entry({ phone: '+7 900 000-00-00', for: ['md'], called_on: '2026-12-05' }));
    expect(renderContact(ru, called!)).toContain(ru('helplines.called', { date: '05.12.2026' }));
  });

  it('reports a third party’s test call with its result and still says we did not call', () => {
    const en = t.forLanguage('en');
    const tajik = contacts.find((c) => c.phone === '+7 495 967-98-44')!;
    const html = renderContact(en, tajik);
    expect(html).toContain('Tajikistan: hot line');
    expect(html).toContain(en('helplines.tested-no', { by: 'Asia-Plus', date: '21.11.2024' }));
    expect(html).toContain(en('helplines.not-called'));
  });

  it('says so for a citizen of a country the bot has no lines for', () => {
    const ky = t.forLanguage('ky');
    const html = renderContactChoice(ky, chooseContacts(contacts, 'other', { urgentOnly: true }), 'other', 'T');
    expect(html).toContain(ky('helplines.none-other'));
    expect(html).not.toContain(ky('helplines.unknown'));
  });
});
