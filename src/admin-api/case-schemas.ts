/**
 * The shapes of the lawyers' queue in the admin API: the routes validate and
 * serialise with them (and /docs publishes them as OpenAPI), and the console's API
 * types are derived from them, so both sides change together. Zod only: no
 * services, so the browser build can import these types.
 */
import { z } from 'zod';
import { CASE_PRIORITIES, CASE_STATUSES } from '../db/schema/cases.js';
import { TRANSLATION_STATUSES } from '../db/schema/translations.js';
import { ATTACHMENT_KINDS } from '../lawyer-queue/attachments.js';

export const caseSchema = z.object({
  id: z.number(),
  status: z.enum(CASE_STATUSES),
  priority: z.enum(CASE_PRIORITIES),
  topic: z.string(),
  language: z.string(),
  citizenship: z.string().nullable(),
  assigneeId: z.number().nullable(),
  nearestDeadline: z.string().nullable(),
  holdEndsAt: z
    .string()
    .nullable()
    .describe('When a hold at a police station must end (ISO date-time with its offset), from the SOS answers; null if none'),
  summaryRu: z.string(),
  unread: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstResponseAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  rating: z.number().nullable(),
  ratingComment: z.string().nullable(),
  anonymised: z.boolean(),
});

export const deliverySchema = z
  .object({ status: z.string(), attempts: z.number(), lastError: z.string().nullable(), sentAt: z.string().nullable() })
  .nullable();
export const translationSchema = z
  .object({
    language: z.string(),
    text: z.string().nullable(),
    status: z.enum(TRANSLATION_STATUSES).describe('machine: as the provider made it; edited: corrected by the lawyer; failed: see error'),
    provider: z.string(),
    error: z.string().nullable(),
  })
  .nullable()
  .describe('Russian for a migrant message, the migrant’s language for a lawyer answer; marked as machine translation');
export const attachmentSchema = z.object({ index: z.number(), kind: z.enum(ATTACHMENT_KINDS), url: z.string() });
export const messageSchema = z.object({
  id: z.number(),
  author: z.enum(['user', 'lawyer']),
  staffId: z.number().nullable(),
  text: z.string(),
  fileIds: z.array(z.string()),
  attachments: z.array(attachmentSchema),
  createdAt: z.string(),
  delivery: deliverySchema,
  translation: translationSchema,
});
export const noteSchema = z.object({ id: z.number(), staffId: z.number(), text: z.string(), createdAt: z.string() });

export const caseTranslationSchema = z.object({
  state: z.enum(['off', 'sensitive', 'not-needed', 'on']).describe('off: not set up; sensitive: this topic never leaves the server'),
  provider: z.string().nullable(),
  language: z.string().describe('the language answers go out in'),
});
export const contextViewSchema = z.array(
  z.object({
    flowId: z.string(),
    title: z.string(),
    answers: z.array(z.object({ question: z.string(), answer: z.string() })),
    outcome: z.string(),
    dates: z.array(z.object({ label: z.string(), date: z.string(), provisional: z.boolean() })),
    at: z.string(),
  }),
);
/** `GET /api/cases/:id`: the console's case view is typed from this. */
export const caseDetailSchema = z.object({
  case: caseSchema,
  context: z.any(),
  contextView: contextViewSchema,
  translation: caseTranslationSchema,
  messages: z.array(messageSchema),
  notes: z.array(noteSchema),
  earlierCases: z.array(z.object({ id: z.number(), status: z.enum(CASE_STATUSES), topic: z.string(), createdAt: z.string() })),
});
export const caseListSchema = z.object({ items: z.array(caseSchema), nextCursor: z.string().optional() });
export const translateDraftSchema = z.object({ ok: z.boolean(), text: z.string().optional(), language: z.string(), provider: z.string().optional(), error: z.string().optional() });

/** A canned answer (`/api/templates`). */
export const templateSchema = z.object({
  id: z.number(),
  key: z.string().nullable().describe('shipped answers: the same key in each language'),
  language: z.string(),
  title: z.string(),
  text: z.string(),
  createdBy: z.number().nullable(),
  updatedAt: z.string(),
});
