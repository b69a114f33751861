/** `/api/alerts`: draft, review (four eyes), preview, send, follow, cancel and correct alerts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log.js';
import type { AlertRow, AlertService } from '../../broadcasts/alert-service.js';
import { ALERT_STATUSES, ALERT_TOPICS } from '../../db/schema/index.js';
import { LANGUAGES } from '../../i18n/languages.js';
import type { StaffService } from '../../staff/staff-service.js';
import { actorOf, HttpError } from '../auth.js';
import { errorResponsesWithConflict, idParams, iso } from '../schemas.js';

const AUTHORS = ['staff', 'admin'] as const;
const REVIEWERS = ['lawyer', 'admin'] as const;
const EVERYONE = ['lawyer', 'staff', 'admin'] as const;
const errors = errorResponsesWithConflict;

const textsSchema = z.partialRecord(z.enum(LANGUAGES), z.string().max(4096)).describe('Telegram HTML per language; ru is required');
const audienceSchema = z
  .object({
    everyone: z.boolean().optional(),
    languages: z.array(z.enum(LANGUAGES)).max(7).optional(),
    citizenships: z.array(z.string().regex(/^[a-z]{2}$/)).max(30).optional(),
    topics: z.array(z.enum(ALERT_TOPICS)).max(4).optional(),
  })
  .refine((a) => a.everyone || a.languages?.length || a.citizenships?.length || a.topics?.length, {
    message: 'name an audience: everyone, or languages, citizenships or topics',
  });
const alertSchema = z.object({
  id: z.number(),
  status: z.enum(ALERT_STATUSES),
  texts: z.record(z.string(), z.string()),
  audience: z.record(z.string(), z.unknown()),
  startAt: z.string().nullable(),
  createdBy: z.number(),
  approvedBy: z.number().nullable(),
  correctionTexts: z.record(z.string(), z.string()).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  correctedAt: z.string().nullable(),
});
const alertDto = (a: AlertRow) => ({
  id: a.id,
  status: a.status,
  texts: a.texts,
  audience: a.audience as Record<string, unknown>,
  startAt: iso(a.startAt),
  createdBy: a.createdBy,
  approvedBy: a.approvedBy,
  correctionTexts: a.correctionTexts,
  createdAt: a.createdAt.toISOString(),
  startedAt: iso(a.startedAt),
  finishedAt: iso(a.finishedAt),
  cancelledAt: iso(a.cancelledAt),
  correctedAt: iso(a.correctedAt),
});
const progressSchema = z.object({
  total: z.number(),
  pending: z.number(),
  sent: z.number(),
  blocked: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  fallback: z.number(),
  possibleDuplicates: z.number(),
  corrected: z.number(),
  correctionPending: z.number(),
  ratePerSecond: z.number(),
  etaSeconds: z.number().nullable(),
});

export interface AlertRoutesDeps {
  alerts: AlertService;
  audit: AuditLog;
  staff: StaffService;
  wakeOutbox: () => void;
}

export const alertRoutes =
  ({ alerts, audit, staff, wakeOutbox }: AlertRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const textsOk = (t: Record<string, string | undefined>) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as Record<string, string>;

    app.post(
      '/alerts/audience',
      {
        config: { roles: EVERYONE },
        schema: {
          summary: 'How many users an audience reaches now, and how many get the Russian fallback',
          tags: ['alerts'],
          body: z.object({ audience: audienceSchema, languages: z.array(z.enum(LANGUAGES)).default(['ru']) }),
          response: { 200: z.object({ recipients: z.number(), fallback: z.number() }), ...errors },
        },
      },
      async (req) => alerts.audienceSize(req.body.audience, req.body.languages),
    );

    app.get('/alerts', { config: { roles: EVERYONE }, schema: { summary: 'Alerts, newest first', tags: ['alerts'], response: { 200: z.array(alertSchema), ...errors } } }, async () =>
      (await alerts.list()).map(alertDto),
    );

    app.post(
      '/alerts',
      {
        config: { roles: AUTHORS },
        schema: {
          summary: 'Draft an alert',
          tags: ['alerts'],
          body: z.object({ texts: textsSchema, audience: audienceSchema, startAt: z.iso.datetime({ offset: true }).optional() }),
          response: { 201: z.object({ alert: alertSchema, audience: z.object({ recipients: z.number(), fallback: z.number() }) }), ...errors },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const texts = textsOk(req.body.texts);
        const a = await alerts.create(actor, { texts, audience: req.body.audience, startAt: req.body.startAt ? new Date(req.body.startAt) : undefined });
        await audit.record(actor.id, 'alert.create', null, { alertId: a.id });
        return reply.code(201).send({ alert: alertDto(a), audience: await alerts.audienceSize(a.audience, Object.keys(texts)) });
      },
    );

    app.get(
      '/alerts/:id',
      {
        config: { roles: EVERYONE },
        schema: { summary: 'An alert with its progress: counts, rate, ETA', tags: ['alerts'], params: idParams, response: { 200: z.object({ alert: alertSchema, progress: progressSchema }), ...errors } },
      },
      async (req) => {
        const r = await alerts.get(req.params.id);
        return { alert: alertDto(r.alert), progress: r.progress };
      },
    );

    app.get(
      '/alerts/:id/recipients',
      {
        config: { roles: EVERYONE },
        schema: {
          summary: 'Who got it (user ids and delivery state, first 1,000)',
          tags: ['alerts'],
          params: idParams,
          querystring: z.object({ status: z.enum(['pending', 'sent', 'blocked', 'failed', 'cancelled']).optional() }),
          response: {
            200: z.array(z.object({ userId: z.number().nullable(), language: z.string(), fallback: z.boolean(), status: z.string(), sentAt: z.string().nullable(), lastError: z.string().nullable() })),
            ...errors,
          },
        },
      },
      async (req) => (await alerts.recipients(req.params.id, req.query.status)).map((r) => ({ ...r, sentAt: iso(r.sentAt) })),
    );

    app.patch(
      '/alerts/:id',
      {
        config: { roles: AUTHORS },
        schema: {
          summary: 'Edit a draft (an approved alert goes back to draft)',
          tags: ['alerts'],
          params: idParams,
          body: z.object({ texts: textsSchema.optional(), audience: audienceSchema.optional(), startAt: z.iso.datetime({ offset: true }).nullable().optional() }),
          response: { 200: alertSchema, ...errors },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const { texts, audience, startAt } = req.body;
        const a = await alerts.update(req.params.id, {
          ...(texts ? { texts: textsOk(texts) } : {}),
          ...(audience ? { audience } : {}),
          ...(startAt !== undefined ? { startAt: startAt ? new Date(startAt) : null } : {}),
        });
        await audit.record(actor.id, 'alert.update', null, { alertId: a.id });
        return alertDto(a);
      },
    );

    const step = (name: 'approve' | 'send' | 'cancel', roles: readonly ('lawyer' | 'staff' | 'admin')[], summary: string) =>
      app.post(`/alerts/:id/${name}`, { config: { roles }, schema: { summary, tags: ['alerts'], params: idParams, response: { 200: alertSchema, ...errors } } }, async (req) => {
        const actor = actorOf(req);
        const a = name === 'approve' ? await alerts.approve(actor, req.params.id) : name === 'send' ? await alerts.send(req.params.id) : await alerts.cancel(req.params.id);
        await audit.record(actor.id, `alert.${name}`, null, { alertId: a.id });
        return alertDto(a);
      });
    step('approve', REVIEWERS, 'Approve a draft (a lawyer or admin other than its author)');
    step('send', AUTHORS, 'Send an approved alert now, or schedule it for its start time');
    step('cancel', AUTHORS, 'Cancel: stops the remaining sends');

    app.post(
      '/alerts/:id/correct',
      {
        config: { roles: AUTHORS },
        schema: { summary: 'Correct every delivered copy (edited with a visible "corrected" mark)', tags: ['alerts'], params: idParams, body: z.object({ texts: textsSchema }), response: { 200: alertSchema, ...errors } },
      },
      async (req) => {
        const actor = actorOf(req);
        const a = await alerts.correct(req.params.id, textsOk(req.body.texts));
        await audit.record(actor.id, 'alert.correct', null, { alertId: a.id });
        return alertDto(a);
      },
    );

    app.post(
      '/alerts/:id/preview',
      {
        config: { roles: EVERYONE },
        schema: { summary: 'Send every language version to your own Telegram chat', tags: ['alerts'], params: idParams, response: { 200: z.object({ chatId: z.string(), messages: z.number() }), ...errors } },
      },
      async (req) => {
        const actor = actorOf(req);
        const chatId = await staff.telegramChatOf(actor.id);
        if (!chatId) throw new HttpError(400, 'your account has no Telegram chat: set one with `npm run staff -- chat --id N --chat CHAT_ID`');
        const messages = await alerts.preview(req.params.id, chatId);
        wakeOutbox();
        await audit.record(actor.id, 'alert.preview', null, { alertId: req.params.id });
        return { chatId, messages };
      },
    );
  };
