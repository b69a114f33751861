/** `/api/cases`: the lawyers' queue. Every read and write is recorded in the audit log. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_PRIORITIES, CASE_STATUSES } from '../../db/schema/index.js';
import type { CaseListRow, CaseMessageRow, CaseRow, CaseService } from '../../lawyer-queue/case-service.js';
import { holdEndsAtOf } from '../../lawyer-queue/case-list-query.js';
import { caseListBody, createCaseListCache } from '../../lawyer-queue/case-list-cache.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { actorOf, HttpError } from '../auth.js';
import { Readable } from 'node:stream';
import type { CaseContext } from '../../db/schema/index.js';
import { decodeAttachment } from '../../lawyer-queue/attachments.js';
import type { ContextViewRu } from '../../lawyer-queue/case-summary.js';
import type { CaseTranslations, TranslationRow } from '../../machine-translation/case-translations.js';
import { FileUnavailableError, type TelegramFiles } from '../../telegram-files/telegram-files.js';
import { errorResponsesWithConflict, idParams, iso } from '../schemas.js';
import { caseDetailSchema, caseListSchema, caseSchema, messageSchema, noteSchema, translateDraftSchema } from '../case-schemas.js';

const LAWYERS = ['lawyer', 'admin'] as const;

/** A case as the API shows it, from the queue's row (or a whole case with `holdEndsAt` added, see `fullCaseDto`). */
export const caseDto = (c: CaseListRow): z.infer<typeof caseSchema> => ({
  id: c.id,
  status: c.status,
  priority: c.priority,
  topic: c.topic,
  language: c.language,
  citizenship: c.citizenship,
  assigneeId: c.assigneeId,
  nearestDeadline: c.nearestDeadline,
  holdEndsAt: c.holdEndsAt,
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

/** A whole case (with its context) in the same shape as the queue lists it. */
export const fullCaseDto = (c: CaseRow) => caseDto({ ...c, holdEndsAt: holdEndsAtOf(c.context) });

const messageDto = (
  m: CaseMessageRow,
  delivery: { status: string | null; attempts: number | null; lastError: string | null; sentAt: Date | null } | null,
  translation: TranslationRow | undefined,
) => ({
  id: m.id,
  author: m.author,
  staffId: m.staffId,
  text: m.text,
  fileIds: m.fileIds,
  attachments: m.fileIds.map((f, index) => ({ index, kind: decodeAttachment(f).kind, url: `/api/cases/${m.caseId}/messages/${m.id}/attachments/${index}` })),
  createdAt: m.createdAt.toISOString(),
  delivery: delivery?.status ? { status: delivery.status, attempts: delivery.attempts ?? 0, lastError: delivery.lastError, sentAt: iso(delivery.sentAt) } : null,
  translation: translation ? { language: translation.language, text: translation.text, status: translation.status, provider: translation.provider, error: translation.error } : null,
});

const textBody = z.object({ text: z.string().trim().min(1, 'text must not be empty').max(3500, 'text is longer than 3500 characters') });
/** A translated answer and its Russian original go out in one Telegram message (4,096 characters). */
const MAX_REPLY_WITH_TRANSLATION = 3700;
const replyBody = textBody.extend({
  translation: z
    .object({ text: z.string().trim().min(1, 'translation must not be empty').max(3500), edited: z.boolean().default(false) })
    .optional()
    .describe('The answer in the migrant’s language (from /translate-draft, possibly corrected); the Russian text goes below it'),
  translationFailed: z.string().max(300).optional().describe('Why there is no translation (the migrant gets Russian with a note)'),
});
const errors = errorResponsesWithConflict;

export interface CaseRoutesDeps {
  cases: CaseService;
  audit: AuditLog;
  wakeOutbox: () => void;
  translations: CaseTranslations;
  /** A case's context in Russian words (never node ids). */
  contextView: (context: CaseContext) => ContextViewRu[];
  /** Attachments from the Bot API (absent: the console says they cannot be shown). */
  files?: TelegramFiles;
}

export const caseRoutes =
  ({ cases, audit, wakeOutbox, translations, contextView, files }: CaseRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const listed = createCaseListCache({ query: cases.queue, toJson: (row) => JSON.stringify(caseDto(row)) });
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
            q: z.string().trim().min(1).max(200).optional().describe('a case number (12 or #12) or words in the summary, thread or translations; searches every status unless status is given'),
            cursor: z.string().max(400).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
          }),
          response: { 200: caseListSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const q = req.query;
        const page = await listed.page({ ...q, assignee: q.assignee === 'me' ? actor.id : q.assignee });
        await audit.recordRead(actor.id, 'case.list', null, { count: page.items.length });
        // Already JSON, each case made by caseDto (case-list-cache.ts): sent as it is, not parsed and checked again.
        return reply.type('application/json; charset=utf-8').send(caseListBody(page) as never);
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
            200: caseDetailSchema,
            ...errors,
          },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const found = await cases.get(req.params.id, actor);
        await audit.recordRead(actor.id, 'case.read', req.params.id);
        const tr = await translations.forMessages(found.messages.map((m) => m.message.id));
        const state = translations.stateOf(found.case);
        return {
          case: fullCaseDto(found.case),
          context: found.case.context,
          contextView: contextView(found.case.context),
          translation: { state, provider: translations.provider?.displayName ?? null, language: await translations.targetLanguage(found.case) },
          messages: found.messages.map((m) => messageDto(m.message, m.delivery, tr.get(m.message.id))),
          notes: found.notes.map((n) => ({ id: n.id, staffId: n.staffId, text: n.text, createdAt: n.createdAt.toISOString() })),
          earlierCases: found.earlier.map((e) => ({ id: e.id, status: e.status, topic: e.topic, createdAt: e.createdAt.toISOString() })),
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
          return fullCaseDto(c);
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
          body: replyBody,
          response: { 201: messageSchema, ...errors },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const { text, translation, translationFailed } = req.body;
        if (translation && text.length + translation.text.length > MAX_REPLY_WITH_TRANSLATION) {
          throw new HttpError(400, `the answer and its translation together are longer than ${MAX_REPLY_WITH_TRANSLATION} characters: split the answer`);
        }
        const provider = translations.provider?.id ?? 'lawyer';
        const m = await cases.reply(
          req.params.id,
          actor,
          text,
          translation ? { ...translation, provider } : translationFailed ? { failed: translationFailed, provider } : undefined,
        );
        await audit.record(actor.id, 'case.reply', req.params.id, { messageId: m.id, translated: Boolean(translation) });
        wakeOutbox();
        const [stored] = (await translations.forMessages([m.id])).values();
        return reply.code(201).send(messageDto(m, { status: 'pending', attempts: 0, lastError: null, sentAt: null }, stored));
      },
    );

    app.post(
      '/cases/:id/translate-draft',
      {
        config: { roles: LAWYERS },
        schema: {
          summary: 'Translate a Russian draft answer into the migrant’s language (machine translation; nothing is sent)',
          tags: ['cases'],
          params: idParams,
          body: textBody,
          response: {
            200: translateDraftSchema,
            ...errors,
          },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const c = await cases.access(req.params.id, actor, 'translate-draft');
        const result = await translations.draft(c, req.body.text);
        await audit.record(actor.id, 'case.translate-draft', req.params.id, { ok: result.ok });
        return { ...result, language: await translations.targetLanguage(c) };
      },
    );

    app.post(
      '/cases/:id/translations/retry',
      {
        config: { roles: LAWYERS },
        schema: {
          summary: 'Translate again the migrant’s messages whose translation failed or is missing',
          tags: ['cases'],
          params: idParams,
          response: { 200: z.object({ retried: z.number() }), ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const c = await cases.access(req.params.id, actor, 'translate-retry');
        if (translations.stateOf(c) !== 'on') throw new HttpError(409, `case ${c.id} is not translated (${translations.stateOf(c)})`);
        const retried = await translations.retry(c.id);
        await audit.record(actor.id, 'case.translate-retry', req.params.id, { retried });
        return { retried };
      },
    );

    app.get(
      '/cases/:id/messages/:messageId/attachments/:index',
      {
        config: { roles: LAWYERS },
        schema: {
          summary: 'A photo, voice message or document the migrant attached, streamed from Telegram (never stored; every view audited)',
          tags: ['cases'],
          params: idParams.extend({ messageId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), index: z.coerce.number().int().min(0).max(50) }),
          response: { ...errors },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        await cases.access(req.params.id, actor, 'attachment');
        const stored = await cases.attachment(req.params.id, req.params.messageId, req.params.index);
        if (!stored) throw new HttpError(404, `case ${req.params.id} has no attachment ${req.params.index} in message ${req.params.messageId}`);
        if (!files) throw new HttpError(404, 'attachments cannot be fetched: no Bot API connection');
        const { kind, fileId } = decodeAttachment(stored);
        let file: Awaited<ReturnType<TelegramFiles['open']>>;
        try {
          file = await files.open(kind, fileId);
        } catch (err) {
          if (err instanceof FileUnavailableError) throw new HttpError(404, err.message);
          throw err;
        }
        await audit.record(actor.id, 'case.attachment', req.params.id, { messageId: req.params.messageId, index: req.params.index, kind });
        reply
          .header('content-type', file.contentType)
          .header('content-disposition', `${file.disposition}; filename="${file.name.replace(/[^\w.-]/g, '_')}"`)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store');
        if (file.size) reply.header('content-length', file.size);
        // A stream is passed through as it is (no serializer); its bytes never touch our disk.
        return reply.send(Readable.fromWeb(file.body as import('node:stream/web').ReadableStream) as never);
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
        const requeued = await cases.retryFailed(req.params.id, actor);
        await audit.record(actor.id, 'case.retry-delivery', req.params.id, { requeued });
        wakeOutbox();
        return { requeued };
      },
    );
  };
