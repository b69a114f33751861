/** `/api/cases`: the lawyers' queue. Every read and write is recorded in the audit log. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_PRIORITIES, CASE_STATUSES } from '../../db/schema/index.js';
import type { CaseMessageRow, CaseRow, CaseService } from '../../lawyer-queue/case-service.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { actorOf } from '../auth.js';
import { errorResponsesWithConflict, idParams, iso } from '../schemas.js';

const LAWYERS = ['lawyer', 'admin'] as const;

export const caseSchema = z.object({
  id: z.number(),
  status: z.enum(CASE_STATUSES),
  priority: z.enum(CASE_PRIORITIES),
  topic: z.string(),
  language: z.string(),
  citizenship: z.string().nullable(),
  assigneeId: z.number().nullable(),
  nearestDeadline: z.string().nullable(),
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

export const caseDto = (c: CaseRow): z.infer<typeof caseSchema> => ({
  id: c.id,
  status: c.status,
  priority: c.priority,
  topic: c.topic,
  language: c.language,
  citizenship: c.citizenship,
  assigneeId: c.assigneeId,
  nearestDeadline: c.nearestDeadline,
  summaryRu: c.summaryRu,
  unread: c.unread,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
  firstResponseAt: iso(c.firstResponseAt),
  closedAt: iso(c.closedAt),
  rating: c.rating,
  ratingComment: c.ratingComment,
  anonymised: c.anonymisedAt !== null,
});

const deliverySchema = z
  .object({ status: z.string(), attempts: z.number(), lastError: z.string().nullable(), sentAt: z.string().nullable() })
  .nullable();
const messageSchema = z.object({
  id: z.number(),
  author: z.enum(['user', 'lawyer']),
  staffId: z.number().nullable(),
  text: z.string(),
  fileIds: z.array(z.string()),
  createdAt: z.string(),
  delivery: deliverySchema,
});
const noteSchema = z.object({ id: z.number(), staffId: z.number(), text: z.string(), createdAt: z.string() });

const messageDto = (m: CaseMessageRow, delivery: { status: string | null; attempts: number | null; lastError: string | null; sentAt: Date | null } | null) => ({
  id: m.id,
  author: m.author,
  staffId: m.staffId,
  text: m.text,
  fileIds: m.fileIds,
  createdAt: m.createdAt.toISOString(),
  delivery: delivery?.status ? { status: delivery.status, attempts: delivery.attempts ?? 0, lastError: delivery.lastError, sentAt: iso(delivery.sentAt) } : null,
});

const textBody = z.object({ text: z.string().trim().min(1, 'text must not be empty').max(3500, 'text is longer than 3500 characters') });
const errors = errorResponsesWithConflict;

export interface CaseRoutesDeps {
  cases: CaseService;
  audit: AuditLog;
  wakeOutbox: () => void;
}

export const caseRoutes =
  ({ cases, audit, wakeOutbox }: CaseRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/cases',
      {
        config: { roles: LAWYERS },
        schema: {
          summary: 'The queue: urgent first, then the nearest legal deadline, then the oldest',
          tags: ['cases'],
          querystring: z.object({
            status: z
              .string()
              .optional()
              .transform((s) => (s ? s.split(',') : undefined))
              .pipe(z.array(z.enum(CASE_STATUSES)).optional())
              .describe('comma-separated; default open,claimed'),
            priority: z.enum(CASE_PRIORITIES).optional(),
            topic: z.string().max(40).optional(),
            language: z.string().max(8).optional(),
            assignee: z.union([z.literal('me'), z.literal('none'), z.coerce.number().int().positive()]).optional(),
            cursor: z.string().max(400).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
          }),
          response: { 200: z.object({ items: z.array(caseSchema), nextCursor: z.string().optional() }), ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const q = req.query;
        const result = await cases.list({ ...q, assignee: q.assignee === 'me' ? actor.id : q.assignee });
        await audit.recordRead(actor.id, 'case.list', null, { count: result.items.length });
        return { items: result.items.map(caseDto), ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}) };
      },
    );

    app.get(
      '/cases/:id',
      {
        config: { roles: LAWYERS },
        schema: {
          summary: 'A case with its context, Russian summary, thread (with delivery state) and internal notes',
          tags: ['cases'],
          params: idParams,
          response: {
            200: z.object({ case: caseSchema, context: z.any(), messages: z.array(messageSchema), notes: z.array(noteSchema) }),
            ...errors,
          },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const found = await cases.get(req.params.id, actor);
        await audit.recordRead(actor.id, 'case.read', req.params.id);
        return {
          case: caseDto(found.case),
          context: found.case.context,
          messages: found.messages.map((m) => messageDto(m.message, m.delivery)),
          notes: found.notes.map((n) => ({ id: n.id, staffId: n.staffId, text: n.text, createdAt: n.createdAt.toISOString() })),
        };
      },
    );

    const action = (name: 'claim' | 'release' | 'close' | 'reopen', summary: string) =>
      app.post(
        `/cases/:id/${name}`,
        { config: { roles: LAWYERS }, schema: { summary, tags: ['cases'], params: idParams, response: { 200: caseSchema, ...errors } } },
        async (req) => {
          const actor = actorOf(req);
          const c = await cases[name](req.params.id, actor);
          await audit.record(actor.id, `case.${name}`, req.params.id);
          if (name === 'close') wakeOutbox();
          return caseDto(c);
        },
      );
    action('claim', 'Take a case (409 if another lawyer holds it)');
    action('release', 'Give a claimed case back to the queue');
    action('close', 'Close a case; the user is asked to rate the answer');
    action('reopen', 'Reopen a closed case');

    app.post(
      '/cases/:id/reply',
      {
        config: { roles: LAWYERS },
        schema: {
          summary: 'Answer the user: stored in the thread and delivered to their chat through the durable outbox',
          tags: ['cases'],
          params: idParams,
          body: textBody,
          response: { 201: messageSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const m = await cases.reply(req.params.id, actor, req.body.text);
        await audit.record(actor.id, 'case.reply', req.params.id, { messageId: m.id });
        wakeOutbox();
        return reply.code(201).send(messageDto(m, { status: 'pending', attempts: 0, lastError: null, sentAt: null }));
      },
    );

    app.post(
      '/cases/:id/notes',
      {
        config: { roles: LAWYERS },
        schema: { summary: 'Internal note (never sent to the user)', tags: ['cases'], params: idParams, body: textBody, response: { 201: noteSchema, ...errors } },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const n = await cases.addNote(req.params.id, actor, req.body.text);
        await audit.record(actor.id, 'case.note', req.params.id, { noteId: n.id });
        return reply.code(201).send({ id: n.id, staffId: n.staffId, text: n.text, createdAt: n.createdAt.toISOString() });
      },
    );

    app.post(
      '/cases/:id/deliveries/retry',
      {
        config: { roles: LAWYERS },
        schema: { summary: 'Send again the answers whose delivery failed', tags: ['cases'], params: idParams, response: { 200: z.object({ requeued: z.number() }), ...errors } },
      },
      async (req) => {
        const actor = actorOf(req);
        const requeued = await cases.retryFailed(req.params.id);
        await audit.record(actor.id, 'case.retry-delivery', req.params.id, { requeued });
        wakeOutbox();
        return { requeued };
      },
    );
  };
