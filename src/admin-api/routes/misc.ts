/** Templates (canned answers), the audit log, statistics and "who am I". */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log.js';
import { STAFF_ROLES } from '../../db/schema/index.js';
import { LANGUAGES } from '../../i18n/languages.js';
import type { CaseService } from '../../lawyer-queue/case-service.js';
import type { TemplateRow, TemplateService } from '../../lawyer-queue/template-service.js';
import type { StaffService } from '../../staff/staff-service.js';
import { actorOf, HttpError } from '../auth.js';
import { errorResponses, idParams } from '../schemas.js';
import { templateSchema } from '../case-schemas.js';

const errors = errorResponses;
const templateDto = (t: TemplateRow) => ({ id: t.id, key: t.key, language: t.language, title: t.title, text: t.text, createdBy: t.createdBy, updatedAt: t.updatedAt.toISOString() });
const templateBody = z.object({
  language: z.enum(LANGUAGES),
  title: z.string().trim().min(1).max(120),
  text: z.string().trim().min(1).max(3500),
});

export interface MiscRoutesDeps {
  templates: TemplateService;
  audit: AuditLog;
  cases: CaseService;
  staff: StaffService;
}

export const miscRoutes =
  ({ templates, audit, cases, staff }: MiscRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/me',
      { config: { roles: STAFF_ROLES }, schema: { summary: 'The account this token belongs to', tags: ['staff'], response: { 200: z.object({ id: z.number(), name: z.string(), role: z.enum(STAFF_ROLES) }), ...errors } } },
      async (req) => actorOf(req),
    );

    app.get(
      '/staff',
      {
        config: { roles: STAFF_ROLES },
        schema: {
          summary: 'Staff names, so screens show who claimed or answered (no tokens)',
          tags: ['staff'],
          response: { 200: z.array(z.object({ id: z.number(), name: z.string(), role: z.enum(STAFF_ROLES), active: z.boolean() })), ...errors },
        },
      },
      async () => (await staff.list()).map((s) => ({ id: s.id, name: s.name, role: s.role, active: s.revokedAt === null })),
    );

    app.get(
      '/templates',
      {
        config: { roles: ['lawyer', 'admin'] },
        schema: { summary: 'Canned answers', tags: ['templates'], querystring: z.object({ language: z.enum(LANGUAGES).optional() }), response: { 200: z.array(templateSchema), ...errors } },
      },
      async (req) => (await templates.list(req.query.language)).map(templateDto),
    );
    app.post(
      '/templates',
      { config: { roles: ['lawyer', 'admin'] }, schema: { summary: 'Add a canned answer', tags: ['templates'], body: templateBody, response: { 201: templateSchema, ...errors } } },
      async (req, reply) => {
        const actor = actorOf(req);
        const t = await templates.create(actor.id, req.body);
        await audit.record(actor.id, 'template.create', null, { templateId: t.id });
        return reply.code(201).send(templateDto(t));
      },
    );
    app.patch(
      '/templates/:id',
      {
        config: { roles: ['lawyer', 'admin'] },
        schema: { summary: 'Change a canned answer', tags: ['templates'], params: idParams, body: templateBody.partial(), response: { 200: templateSchema, ...errors } },
      },
      async (req) => {
        const actor = actorOf(req);
        const t = await templates.update(req.params.id, req.body);
        if (!t) throw new HttpError(404, `template ${req.params.id} not found`);
        await audit.record(actor.id, 'template.update', null, { templateId: t.id });
        return templateDto(t);
      },
    );
    app.delete(
      '/templates/:id',
      { config: { roles: ['lawyer', 'admin'] }, schema: { summary: 'Delete a canned answer', tags: ['templates'], params: idParams, response: { 204: z.null(), ...errors } } },
      async (req, reply) => {
        const actor = actorOf(req);
        if (!(await templates.remove(req.params.id))) throw new HttpError(404, `template ${req.params.id} not found`);
        await audit.record(actor.id, 'template.delete', null, { templateId: req.params.id });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/audit',
      {
        config: { roles: ['admin'] },
        schema: {
          summary: 'Who read or changed what, newest first',
          tags: ['audit'],
          querystring: z.object({
            caseId: z.coerce.number().int().positive().optional(),
            before: z.coerce.number().int().positive().optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: {
            200: z.array(z.object({ id: z.number(), staffId: z.number().nullable(), action: z.string(), caseId: z.number().nullable(), details: z.record(z.string(), z.unknown()), at: z.string() })),
            ...errors,
          },
        },
      },
      async (req) => (await audit.list(req.query)).map((r) => ({ ...r, at: r.at.toISOString() })),
    );

    app.get(
      '/stats',
      {
        config: { roles: STAFF_ROLES },
        schema: {
          summary: 'Counts by status, topic and language; median response and resolution times (no personal data)',
          tags: ['stats'],
          response: {
            200: z.object({
              byStatus: z.record(z.string(), z.number()),
              byTopic: z.record(z.string(), z.number()),
              byLanguage: z.record(z.string(), z.number()),
              medianFirstResponseSeconds: z.number().nullable(),
              medianResolutionSeconds: z.number().nullable(),
              averageRating: z.number().nullable(),
            }),
            ...errors,
          },
        },
      },
      async () => cases.stats(),
    );
  };
