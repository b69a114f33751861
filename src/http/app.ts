/**
 * The one HTTP server: health check, the Telegram webhook (webhook mode), the
 * public web app (/app/), and the local chat (local mode). Built as a plain
 * function over explicit parts so tests drive it with `app.inject()`.
 */
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAdminApi } from '../admin-api/admin-api.js';
import { registerConsoleRoutes } from '../console/console-routes.js';
import { InvalidCursorError } from '../lawyer-queue/case-service.js';
import { AlertValidationError } from '../broadcasts/alert-service.js';
import { CaseConflictError, CaseNotFoundError } from '../lawyer-queue/errors.js';
import { type Bot, webhookCallback } from 'grammy';
import type { BotContext } from '../bot/context.js';
import type { Container } from '../container.js';
import type { FakeBotApi } from '../local/fake-bot-api.js';
import { registerLocalRoutes } from '../local/local-routes.js';
import { isDeferral } from '../bot/update-guard.js';
import { errorFacts } from '../lib/error-facts.js';
import type { WebChannel } from '../webapp/web-channel.js';
import { registerWebAppRoutes } from '../webapp/webapp-routes.js';
import { createTelegramFiles } from '../telegram-files/telegram-files.js';
import { registerMetricsRoute } from '../metrics/metrics-route.js';
import { registerDocsUi } from './docs-ui.js';

/**
 * Security headers on every answer (@fastify/helmet): the console and the local chat run
 * only our own script files (no inline script), talk only to this server, cannot be
 * framed. Inline styles stay allowed: Mermaid's diagrams and the alert progress bar set
 * them. The web app (/app/) sends its own stricter policy, and /docs (Swagger UI) its own.
 */
export const PAGE_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Path Telegram posts updates to in webhook mode. */
export const WEBHOOK_PATH = '/telegram/webhook';
/** Largest request body we accept: a Telegram update is far smaller. */
const BODY_LIMIT = 1024 * 1024;

export interface HttpAppOptions {
  container: Container;
  bot: Bot<BotContext>;
  webhook?: { secretToken: string };
  local?: { api: FakeBotApi };
  /** The public web app at /app/ (every mode in production; tests may leave it out). */
  webapp?: WebChannel;
  /** How attachments are fetched from the Bot API (default: local mode's stand-in, else the real one). */
  telegramFetch?: typeof fetch;
}

export async function buildHttpApp({ container, bot, webhook, local, webapp, telegramFetch }: HttpAppOptions): Promise<FastifyInstance> {
  // Behind a reverse proxy, the client's address (rate limits) and scheme (Secure cookies) come from it.
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, trustProxy: container.config.TRUST_PROXY });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    let status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    let message = err.message;
    if (isDeferral(err)) {
      // The database is down: Telegram (or the local client) delivers the update again.
      return reply.code(503).header('retry-after', '5').send({ error: 'temporarily unavailable: the update was not handled; deliver it again' });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      message = err.validation.map((v) => `${v.instancePath.replace(/^\//, '').replace(/\//g, '.') || err.validationContext}: ${v.message}`).join('; ');
      message = `invalid ${err.validationContext}: ${message}`;
    } else if (err instanceof CaseNotFoundError) status = 404;
    else if (err instanceof CaseConflictError) status = 409;
    else if (err instanceof InvalidCursorError || err instanceof AlertValidationError) status = 400;
    const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
    if (status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    if (status >= 500) container.logger.error({ route: req.routeOptions.url, error: errorFacts(err) }, 'request failed');
    // Messages below 500 describe the client's mistake; above, they could leak internals.
    reply.code(status).send({ error: status < 500 ? message : 'internal error' });
  });

  await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP_DIRECTIVES } });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Pravo admin API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerDocsUi(app);
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found' }));

  app.get('/healthz', async (_req, reply) => {
    try {
      await container.database.ping();
    } catch {
      return reply.code(503).send({ ok: false, database: 'unreachable', flows: container.flows.list.length, flowStateBacklog: container.runs.backlog });
    }
    // Users whose flow steps are not in the database yet: near 0 normally, growing
    // while writes fail.
    return { ok: true, database: container.database.kind, flows: container.flows.list.map((f) => `${f.id}@${f.version}`), flowStateBacklog: container.runs.backlog };
  });

  if (webhook) {
    app.post(WEBHOOK_PATH, webhookCallback(bot, 'fastify', { secretToken: webhook.secretToken }));
  }
  if (local) {
    await registerLocalRoutes(app, {
      bot,
      api: local.api,
      clock: container.clock,
      reloadFlows: async () => ({ flows: (await container.reloadFlows()).map((f) => `${f.id}@${f.version}`) }),
    });
  }
  if (webapp) await registerWebAppRoutes(app, webapp.routeDeps);
  const files = createTelegramFiles({ token: bot.token, apiRoot: container.config.TELEGRAM_API_ROOT, fetch: telegramFetch ?? local?.api.fetch });
  await registerAdminApi(app, container, { files });
  await registerConsoleRoutes(app);
  registerMetricsRoute(app, container);
  return app;
}
