/**
 * Help contacts (hot lines, NGOs, consulates). They change often and most were found
 * on public pages, never called by us, so they live in a config file an NGO edits:
 * each with its source, the source's date, the day it was last checked and how
 * (read on a page, or called), and a confidence. Organisations the Ministry of
 * Justice lists as "foreign agents" carry the label the law requires.
 */
import { readFile } from 'node:fs/promises';
import { parseYaml as parse } from '../lib/yaml-cache.js';
import { z } from 'zod';
import { checkedContent } from '../lib/checked-content-cache.js';

const isoDate = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).transform((v) =>
  typeof v === 'string' ? v : v.toISOString().slice(0, 10),
);

/**
 * What kind of place a contact is: a closed list, so its label can be translated in
 * every locale (`contacts.kinds.<kind>`), whatever name the NGO gives it in Russian.
 */
export const CONTACT_KINDS = ['embassy', 'consulate', 'hotline', 'labour-office', 'migration-agency', 'ngo', 'unhcr'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

const contactSchema = z.strictObject({
  kind: z.enum(CONTACT_KINDS),
  /** The official name in Russian: shown beside the translated label, as on signs and documents. */
  name: z.string().min(1),
  phone: z.string().optional(),
  url: z.url().optional(),
  /** In Russian, as on the door: the user may show it to a taxi driver or a police officer. */
  address: z.string().optional(),
  hours: z.string().optional(),
  /** Where the number or address was found (a URL, or a fact-sheet section that names one). */
  source: z.string().min(1),
  /** The source's own date (YYYY, YYYY-MM or YYYY-MM-DD): how old the information is. */
  source_date: z
    .union([z.string(), z.number().int(), z.date()])
    .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)))
    .pipe(z.string().regex(/^\d{4}(-\d{2}){0,2}$/)),
  /** The day someone last checked this entry against its source (not a call). */
  checked_on: isoDate,
  /** The day one of us called the number and it answered. Never set it for a number nobody called. */
  called_on: isoDate.optional(),
  /** A third party's test call (e.g. journalists), with its date and result. */
  tested: z.strictObject({ on: isoDate, answered: z.boolean(), by: z.string().min(1) }).optional(),
  confidence: z.enum(['low', 'medium', 'high']),
  foreign_agent: z.boolean().default(false),
  /** Citizenships this contact serves (ISO 3166 alpha-2, lower case); empty = everyone. */
  for: z.array(z.string().regex(/^[a-z]{2}$/)).default([]),
  /** Whether to show it on the detention (SOS) screen. */
  urgent: z.boolean().default(false),
  /** For the NGO's editors only; never shown to users. */
  note: z.string().optional(),
});

export const contactsFileSchema = z.strictObject({ contacts: z.array(contactSchema) });
export type Contact = z.output<typeof contactSchema>;

/** Parses the file's text; the error names the entry and the field. */
export function parseContacts(text: string, file = 'contacts.yaml'): Contact[] {
  return checkedContent(file, text, () => {
    const parsed = contactsFileSchema.safeParse(parse(text));
    if (!parsed.success) {
      throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return parsed.data.contacts;
  });
}

export async function loadContacts(file: string): Promise<Contact[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return parseContacts(text, file);
}

/** The contacts for one person: their country's own, and the ones for everyone. */
export interface ContactChoice {
  /** The citizenship used (undefined: not known, so only general lines are shown). */
  citizenship?: string;
  forCountry: Contact[];
  general: Contact[];
  /** Whether any of the country's entries has a phone number. */
  countryHasPhone: boolean;
}

/**
 * Picks contacts by citizenship (a fact the user gave), never by a guess from the
 * language: an Uzbek speaker may be a citizen of Tajikistan or of Russia.
 * `urgentOnly` keeps the entries marked for the detention (SOS) screen.
 */
export function chooseContacts(all: readonly Contact[], citizenship: string | undefined, opts: { urgentOnly?: boolean } = {}): ContactChoice {
  const pool = opts.urgentOnly ? all.filter((c) => c.urgent) : all;
  const known = citizenship !== undefined && /^[a-z]{2}$/.test(citizenship) ? citizenship : undefined;
  const forCountry = known ? pool.filter((c) => c.for.includes(known)) : [];
  return {
    citizenship: known,
    forCountry,
    general: pool.filter((c) => !c.for.length),
    countryHasPhone: forCountry.some((c) => c.phone),
  };
}
