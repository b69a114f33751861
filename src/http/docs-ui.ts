/**
 * Swagger UI at /docs, loaded at its first request instead of at every start.
 *
 * Why: registering @fastify/swagger-ui loads it, @fastify/static, `send`, `mime`, `glob`
 * and `yaml` from node_modules and globs its folder of pages: a third of building the
 * HTTP app, and a tenth of a cold start (issue 18), for a page a developer opens now and
 * then. Fastify takes no routes once it listens, so the UI lives in a small Fastify
 * instance of its own, built at the first /docs request; /docs and /docs/* are answered
 * from it with `inject` (its status, headers and bytes, including its own CSP: the
 * library's, which lets Swagger UI's scripts run). The specification it shows is still
 * @fastify/swagger's on the main app, which sees every route as it is added.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import fp from 'fastify-plugin';

/** Headers of the inner answer that describe its own connection, not the page. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

export function registerDocsUi(app: FastifyInstance, prefix = '/docs'): void {
  let ui: Promise<FastifyInstance> | undefined;
  const build = async () => {
    const { default: swaggerUi } = await import('@fastify/swagger-ui');
    const inner = Fastify({ logger: false });
    // @fastify/swagger-ui requires the plugin named @fastify/swagger: this one hands it the main app's specification.
    await inner.register(
      fp(
        (instance, _opts, done) => {
          instance.decorate('swagger', ((opts?: { yaml?: boolean }) => app.swagger(opts as { yaml: true })) as FastifyInstance['swagger']);
          done();
        },
        { name: '@fastify/swagger' },
      ),
    );
    await inner.register(swaggerUi, { routePrefix: prefix, staticCSP: true });
    inner.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found' }));
    await inner.ready();
    return inner;
  };
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    ui ??= build().catch((err) => {
      ui = undefined;
      throw err;
    });
    const res = await (await ui).inject({ method: 'GET', url: req.url, headers: req.headers });
    reply.code(res.statusCode);
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !CONNECTION_HEADERS.has(name)) reply.header(name, value);
    return reply.send(res.rawPayload);
  };
  app.get(prefix, { schema: { hide: true } }, handler);
  app.get(`${prefix}/*`, { schema: { hide: true } }, handler);
}
