/**
 * The admin API under /api: bearer-token auth with roles, zod schemas on every
 * route (validation errors are 400 with a message), OpenAPI at /docs, per-token
 * rate limiting, and domain errors mapped to 404 / 409.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../container.js';
import { createTemplateService } from '../lawyer-queue/template-service.js';
import { createAddressLimiter } from './address-limiter.js';
import { HttpError, installAuth } from './auth.js';
import { rejectNul } from './reject-nul.js';
import { contextViewRu } from '../lawyer-queue/case-summary.js';
import type { TelegramFiles } from '../telegram-files/telegram-files.js';
import { caseRoutes } from './routes/cases.js';
import { miscRoutes } from './routes/misc.js';
import { alertRoutes } from './routes/alerts.js';
import { flowRoutes } from './routes/flows.js';

export async function registerAdminApi(app: FastifyInstance, c: Container, opts: { files?: TelegramFiles } = {}) {
  await app.register(
    async (api) => {
      // Authentication first (onRequest), so the limit counts per account; requests
      // without a valid token are limited per address by the auth hook itself.
      installAuth(api, c.staff, createAddressLimiter(c.config.API_RATE_LIMIT));
      rejectNul(api);
      await api.register(rateLimit, {
        max: c.config.API_RATE_LIMIT,
        timeWindow: '1 minute',
        hook: 'preHandler',
        keyGenerator: (req) => (req.staff ? `staff:${req.staff.id}` : `ip:${req.ip}`),
        // An Error with a message: the error handler answers { error } with the
        // Retry-After header the plugin has set.
        errorResponseBuilder: (_req, ctx) => new HttpError(429, `too many requests: at most ${ctx.max} a minute; retry in ${ctx.after}`),
      });
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
