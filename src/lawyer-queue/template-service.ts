/** Canned answers lawyers reuse, per language. */
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { templates } from '../db/schema/index.js';

export type TemplateRow = typeof templates.$inferSelect;

export function createTemplateService({ db, clock }: { db: Database; clock: () => Date }) {
  return {
    list: (language?: string) =>
      db.select().from(templates).where(language ? eq(templates.language, language) : undefined).orderBy(asc(templates.id)),
    async create(staffId: number, input: { language: string; title: string; text: string }) {
      const now = clock();
      const [row] = await db.insert(templates).values({ ...input, createdBy: staffId, createdAt: now, updatedAt: now }).returning();
      return row!;
    },
    async update(id: number, input: Partial<{ language: string; title: string; text: string }>) {
      const [row] = await db.update(templates).set({ ...input, updatedAt: clock() }).where(eq(templates.id, id)).returning();
      return row;
    },
    async remove(id: number) {
      const rows = await db.delete(templates).where(and(eq(templates.id, id))).returning({ id: templates.id });
      return rows.length > 0;
    },
  };
}

export type TemplateService = ReturnType<typeof createTemplateService>;
