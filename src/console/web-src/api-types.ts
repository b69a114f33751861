/**
 * The admin API's data as the console receives it, derived from the server's own
 * zod schemas (the ones /docs publishes as OpenAPI): a field renamed on the server
 * is a compile error here. Type-only imports: nothing of the server is bundled.
 */
import type { z } from 'zod';
import type { caseDetailSchema, caseListSchema, caseSchema, messageSchema, templateSchema, translateDraftSchema } from '../../admin-api/case-schemas.js';

export type CaseDto = z.infer<typeof caseSchema>;
export type CaseList = z.infer<typeof caseListSchema>;
export type CaseDetail = z.infer<typeof caseDetailSchema>;
export type CaseMessage = z.infer<typeof messageSchema>;
export type TranslateDraft = z.infer<typeof translateDraftSchema>;
export type Template = z.infer<typeof templateSchema>;
export interface Me {
  id: number;
  name: string;
  role: 'lawyer' | 'staff' | 'admin';
}
