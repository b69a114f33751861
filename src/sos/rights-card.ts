/**
 * The rights card's legal basis. The card is an answer like any flow outcome, so it
 * carries citations and the day its text was last checked, kept as data beside the
 * contacts (the text itself is translated in the locale files).
 */
import { readFile } from 'node:fs/promises';
import { parseYaml as parse } from '../lib/yaml-cache.js';
import { z } from 'zod';
import { citationSchema } from '../flow-engine/schema.js';
import { checkedContent } from '../lib/checked-content-cache.js';

const rightsCardSchema = z.strictObject({
  citations: z.array(citationSchema).min(1),
  reviewed_on: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).transform((v) =>
    typeof v === 'string' ? v : v.toISOString().slice(0, 10),
  ),
});
export type RightsCard = z.output<typeof rightsCardSchema>;

/** Parses the file's text; a missing basis stops the start, as a flow outcome without citations does. */
export function parseRightsCard(text: string, file = 'sos-card.yaml'): RightsCard {
  return checkedContent(file, text, () => {
    const parsed = rightsCardSchema.safeParse(parse(text));
    if (!parsed.success) {
      throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    return parsed.data;
  });
}

export async function loadRightsCard(file: string): Promise<RightsCard> {
  return parseRightsCard(await readFile(file, 'utf8'), file);
}
