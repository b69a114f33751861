/**
 * The shape of a document template (`flows/documents/<id>.yaml`): a Russian text a
 * migrant hands over or sends (a demand to return a passport, a wage claim…), filled
 * from the user's facts. Templates are legal content like flows, so the schema is
 * strict, every template cites its basis and carries `reviewed_on`, and every
 * placeholder is declared as a field that either reads a known fact or stays a blank.
 */
import { z } from 'zod';
import { ID_PATTERN } from '../flow-engine/schema.js';

/** Longest template id: it travels in callback data (`rd:<id>`). */
export const MAX_DOCUMENT_ID = 24;

/** A placeholder in a template body: `{{field}}` (lower_snake_case, declared under `fields`). */
export const PLACEHOLDER = /\{\{\s*([^}\s]*)\s*\}\}/g;

const isoDay = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).transform((v) =>
  typeof v === 'string' ? v : v.toISOString().slice(0, 10),
);

const citationSchema = z.strictObject({
  law: z.string().min(1),
  article: z.string().optional(),
  url: z.string().url().optional(),
});

/**
 * One field of a template. With `fact`, the user's value of that fact (this run's answers
 * included) is written in; without one, or when the fact is unknown, the document shows a
 * visible blank «________» with `hint` under it, to fill in by hand. Personal details
 * (name, passport number, employer) are always blanks: the bot does not ask for them.
 */
const fieldSchema = z.strictObject({
  /** A fact of `flows/facts.yaml` (date, datetime, choice or number). */
  fact: z.string().regex(ID_PATTERN).max(24).optional(),
  /** Russian hint shown under the blank: what to write there. */
  hint: z.string().min(1),
  /** Choice values that say nothing to the reader ("another country"): left blank instead. */
  blank_if: z.array(z.string()).optional(),
});

export const documentSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN, 'must be lower-case kebab-case ASCII').max(MAX_DOCUMENT_ID),
  /** Bump on every edit of the text (reviewers see what changed). */
  version: z.number().int().positive(),
  /** Russian name of the document ("Требование о возврате паспорта"), translated for the button. */
  title: z.string().min(1),
  /** What the document is for and what to do with it, in Russian; translated to every language. */
  explanation: z.string().min(1),
  fields: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case ASCII'), fieldSchema).default({}),
  /** The Russian text, with `{{field}}` placeholders; `{{today}}` is the date it is written. */
  body: z.string().min(1),
  citations: z.array(citationSchema).min(1),
  reviewed_on: isoDay,
  note: z.string().optional(),
});

export type DocumentTemplate = z.output<typeof documentSchema>;
export type DocumentField = DocumentTemplate['fields'][string];
