/**
 * The one HTTP server: health check, the Telegram webhook (webhook mode), and the
 * local chat (local mode). Built as a plain function over explicit parts so tests
 * drive it with `app.inject()`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { type Bot, webhookCallback } from 'grammy';
import type { BotContext } from '../bot/context.js';
import type { Container } from '../container.js';
import type { FakeBotApi } from '../local/fake-bot-api.js';
import { registerLocalRoutes } from '../local/local-routes.js';

/** Path Telegram posts updates to in webhook mode. */
export const WEBHOOK_PATH = '/telegram/webhook';
/** Largest request body we accept: a Telegram update is far smaller. */
const BODY_LIMIT = 1024 * 1024;

export interface HttpAppOptions {
  container: Container;
  bot: Bot<BotContext>;
  webhook?: { secretToken: string };
  local?: { api: FakeBotApi };
}

export async function buildHttpApp({ container, bot, webhook, local }: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) container.logger.error({ route: req.routeOptions.url, error: err.name }, 'request failed');
    // Messages below 500 describe the client's mistake; above, they could leak internals.
    reply.code(status).send({ error: status < 500 ? err.message : 'internal error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found' }));

  app.get('/healthz', async (_req, reply) => {
    try {
      await container.database.ping();
    } catch {
      return reply.code(503).send({ ok: false, database: 'unreachable', flows: container.flows.list.length });
    }
    return { ok: true, database: container.database.kind, flows: container.flows.list.map((f) => `${f.id}@${f.version}`) };
  });

  if (webhook) {
    app.post(WEBHOOK_PATH, webhookCallback(bot, 'fastify', { secretToken: webhook.secretToken }));
  }
  if (local) await registerLocalRoutes(app, { bot, api: local.api, clock: container.clock });
  return app;
}
