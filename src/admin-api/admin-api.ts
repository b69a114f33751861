/**
 * The admin API under /api: bearer-token auth with roles, zod schemas on every
 * route (validation errors are 400 with a message), OpenAPI at /docs, per-token
 * rate limiting, and domain errors mapped to 404 / 409.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../container.js';
import { createTemplateService } from '../lawyer-queue/template-service.js';
import { installAuth } from './auth.js';
import { contextViewRu } from '../lawyer-queue/case-summary.js';
import type { TelegramFiles } from '../telegram-files/telegram-files.js';
import { caseRoutes } from './routes/cases.js';
import { miscRoutes } from './routes/misc.js';
import { alertRoutes } from './routes/alerts.js';
import { flowRoutes } from './routes/flows.js';

export async function registerAdminApi(app: FastifyInstance, c: Container, opts: { files?: TelegramFiles } = {}) {
  await app.register(
    async (api) => {
      await api.register(rateLimit, {
        max: c.config.API_RATE_LIMIT,
        timeWindow: '1 minute',
        keyGenerator: (req) => req.headers.authorization?.slice(-16) ?? req.ip,
        errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, error: `too many requests: at most ${ctx.max} a minute` }),
      });
      installAuth(api, c.staff);
      const wakeOutbox = () => c.outboxWaker.wake();
      const tRu = c.translator.forLanguage('ru');
      await api.register(
        caseRoutes({
          cases: c.cases,
          audit: c.audit,
          wakeOutbox,
          translations: c.translations,
          contextView: (context) => contextViewRu(context, c.flows, tRu),
          files: opts.files,
        }),
      );
      await api.register(
        alertRoutes({
          alerts: c.alerts,
          audit: c.audit,
          staff: c.staff,
          wakeOutbox,
        }),
      );
      await api.register(flowRoutes({ flows: c.flows }));
      await api.register(miscRoutes({ templates: createTemplateService({ db: c.database.db, clock: c.clock }), audit: c.audit, cases: c.cases, staff: c.staff }));
    },
    { prefix: '/api' },
  );
}
