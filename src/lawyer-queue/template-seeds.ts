/**
 * Canned answers that ship with Pravo (config/canned-answers.yaml): common replies in
 * Russian with all seven languages, written from ../shared/legal/. They are put into
 * the templates table once per key, so the NGO edits (or deletes) them in the console
 * and a restart never brings back or overwrites what they changed.
 */
import { readFile } from 'node:fs/promises';
import { inArray } from 'drizzle-orm';
import { parseYaml as parse } from '../lib/yaml-cache.js';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { templateSeeds, templates } from '../db/schema/index.js';
import { LANGUAGES } from '../i18n/languages.js';
import { checkedContent } from '../lib/checked-content-cache.js';

const perLanguage = (max: number) => z.object(Object.fromEntries(LANGUAGES.map((l) => [l, z.string().trim().min(1).max(max)])) as Record<(typeof LANGUAGES)[number], z.ZodString>);

const cannedAnswerSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]{1,60}$/, 'must be lower-kebab-case'),
  sources: z.string().optional(),
  title: perLanguage(120),
  text: perLanguage(3500),
});
export type CannedAnswer = z.infer<typeof cannedAnswerSchema>;

export class CannedAnswersError extends Error {
  override readonly name = 'CannedAnswersError';
}

/** Reads and checks the file; a mistake names the entry and the field. */
export async function loadCannedAnswers(file: string): Promise<CannedAnswer[]> {
  const text = await readFile(file, 'utf8');
  return checkedContent(file, text, () => {
    const parsed = z.array(cannedAnswerSchema).safeParse(parse(text));
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new CannedAnswersError(`${file}: entry ${i.path.join('.')}: ${i.message}`);
    }
    const keys = parsed.data.map((a) => a.key);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) throw new CannedAnswersError(`${file}: key "${dup}" appears twice`);
    return parsed.data;
  });
}

/** Adds the answers whose keys were never seeded; returns how many answers were added. */
export async function seedTemplates(db: Database, answers: CannedAnswer[], clock: () => Date): Promise<number> {
  if (!answers.length) return 0;
  return db.transaction(async (tx) => {
    const done = new Set((await tx.select({ key: templateSeeds.key }).from(templateSeeds).where(inArray(templateSeeds.key, answers.map((a) => a.key)))).map((r) => r.key));
    const fresh = answers.filter((a) => !done.has(a.key));
    if (!fresh.length) return 0;
    const now = clock();
    await tx.insert(templates).values(fresh.flatMap((a) => LANGUAGES.map((language) => ({ key: a.key, language, title: a.title[language], text: a.text[language], createdAt: now, updatedAt: now }))));
    // Two processes starting at once: the key is the primary key, the loser's insert is skipped.
    await tx.insert(templateSeeds).values(fresh.map((a) => ({ key: a.key, seededAt: now }))).onConflictDoNothing();
    return fresh.length;
  });
}
