/**
 * Help contacts (hot lines, NGOs, consulates). They change often and several are
 * unconfirmed, so they live in a config file an NGO edits, each with the date it was
 * last checked; organisations the Ministry of Justice lists as "foreign agents" carry
 * the label the law requires.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

const contactSchema = z.strictObject({
  name: z.string().min(1),
  phone: z.string().optional(),
  url: z.url().optional(),
  hours: z.string().optional(),
  checked_on: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).transform((v) =>
    typeof v === 'string' ? v : v.toISOString().slice(0, 10),
  ),
  foreign_agent: z.boolean().default(false),
  /** Citizenships this contact serves (ISO 3166 alpha-2, lower case); empty = everyone. */
  for: z.array(z.string().length(2)).default([]),
  /** Whether to show it on the detention (SOS) screen. */
  urgent: z.boolean().default(false),
});

export const contactsFileSchema = z.strictObject({ contacts: z.array(contactSchema) });
export type Contact = z.output<typeof contactSchema>;

export async function loadContacts(file: string): Promise<Contact[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const parsed = contactsFileSchema.safeParse(parse(text));
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.contacts;
}
