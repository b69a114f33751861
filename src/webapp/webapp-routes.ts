/**
 * The web app's HTTP side, under /app/: the static app (built by
 * scripts/build-app.mjs), and a small JSON API for a browser that stands in for
 * Telegram's client: start or recover an anonymous session, send a message, press a
 * button, wait for new messages (long poll), read the offline data, manage push.
 *
 * Every update goes through the same `bot.handleUpdate` as Telegram's. Every
 * refusal is a 4xx with a message in the visitor's language; nothing a browser
 * sends can cause a 5xx.
 */
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import { cb } from '../bot/callback-data.js';
import type { BotContext } from '../bot/context.js';
import type { Translator } from '../i18n/i18n.js';
import { FALLBACK_LANGUAGE, isLanguage, type Language, languageFromTelegram } from '../i18n/languages.js';
import type { Logger } from '../logger.js';
import { createRateLimiter } from './rate-limiter.js';
import { createStaticFiles } from './static-files.js';
import { WEB_CALLBACK_PREFIX, type WebBotApi } from './web-bot-api.js';
import { isAllowedEndpoint, type WebPushSender } from './web-push-sender.js';
import type { WebSession, WebSessions } from './web-sessions.js';
import { appStrings, type OfflineDeps, offlineData } from './offline-data.js';

/** Longest long-poll wait; browsers and proxies drop idle requests after ~30 s. */
const LONG_POLL_MS = 25_000;
/** Telegram's limit for a message's text. */
const MAX_TEXT = 4096;
/** A JSON body of the app is far smaller; anything larger is refused with a message. */
const BODY_LIMIT = 16 * 1024;
/** Updates of one visitor waiting their turn; more means a stuck or abusive client. */
const MAX_QUEUED_PER_CHAT = 5;
const COOKIE = 'pravo_web';
/** Cookie lifetime: browsers cap it at 400 days; the server forgets idle visitors sooner. */
const COOKIE_MAX_AGE_S = 400 * 86_400;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Only our own files, scripts without inline code, nothing from other hosts. */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface WebAppDeps extends OfflineDeps {
  bot: Bot<BotContext>;
  web: WebBotApi;
  sessions: WebSessions;
  push: WebPushSender;
  translator: Translator;
  logger: Logger;
  limits: { perSession: number; perAddress: number; sessionsPerHour: number };
  pushHosts: string[];
  /** The built app (dist/app). */
  staticDir: string;
}

class AppError extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
  ) {
    super(key);
  }
}

const pushSchema = z.object({
  endpoint: z.string().max(2000),
  keys: z.object({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
});

function readCookie(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

function setCookie(req: FastifyRequest, reply: FastifyReply, token: string | null) {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  const value = token === null ? `${COOKIE}=; Max-Age=0` : `${COOKIE}=${token}; Max-Age=${COOKIE_MAX_AGE_S}`;
  reply.header('set-cookie', `${value}; Path=/app/; HttpOnly; SameSite=Strict${secure}`);
}

/** The language to refuse in before a session is known: the app's header, then the browser's. */
function requestLanguage(req: FastifyRequest): Language {
  const fromApp = req.headers['x-pravo-lang'];
  if (isLanguage(fromApp)) return fromApp;
  for (const part of String(req.headers['accept-language'] ?? '').split(',')) {
    const lng = languageFromTelegram(part.split(';')[0]?.trim());
    if (lng) return lng;
  }
  return FALLBACK_LANGUAGE;
}

export async function registerWebAppRoutes(app: FastifyInstance, deps: WebAppDeps) {
  const { bot, web, sessions, push, translator, logger, limits } = deps;
  const files = createStaticFiles(deps.staticDir);
  const perSession = createRateLimiter(limits.perSession, MINUTE);
  const perAddress = createRateLimiter(limits.perAddress, MINUTE);
  const newSessions = createRateLimiter(limits.sessionsPerHour, HOUR);
  // Web updates go through the same "handled once" guard as Telegram's, under the same
  // source: numbered from the start time in microseconds, they never repeat across restarts
  // (a counter from 1 would be taken for a repeat after a restart and dropped) and stay far
  // above Telegram's own update ids (below 2^31) and below 2^53.
  let nextUpdateId = Date.now() * 1000;
  const queues = new Map<number, { tail: Promise<unknown>; size: number }>();

  /** One update at a time per visitor, as Telegram delivers them; a long queue is refused. */
  const inChatOrder = <T>(chatId: number, fn: () => Promise<T>): Promise<T> => {
    const q = queues.get(chatId) ?? { tail: Promise.resolve(), size: 0 };
    if (q.size >= MAX_QUEUED_PER_CHAT) throw new AppError(429, 'webapp.errors.too-many');
    q.size++;
    const run = q.tail.then(fn, fn);
    q.tail = run.catch(() => {});
    queues.set(chatId, q);
    void q.tail.then(() => {
      q.size--;
      if (q.size === 0 && queues.get(chatId) === q) queues.delete(chatId);
    });
    return run;
  };

  const from = (s: WebSession) => ({ id: s.chatId, is_bot: false, first_name: 'Web', language_code: s.language });
  const chat = (s: WebSession) => ({ id: s.chatId, type: 'private' as const, first_name: 'Web' });

  /** Runs an update for the visitor; the bot's own error boundary answers failures in the chat. */
  async function runUpdate(s: WebSession, update: Record<string, unknown>): Promise<string[]> {
    try {
      return await web.inRequest(s.chatId, () => bot.handleUpdate({ update_id: nextUpdateId++, ...update } as unknown as Update));
    } catch (err) {
      logger.error({ error: (err as Error)?.name }, 'web update failed');
      return [];
    }
  }

  /**
   * A button press. Without a message (the language picked in the app's own
   * screen) the press carries message 0, which the bot cannot edit, so it answers
   * with a new message, as it does for a press on a message that is gone.
   */
  async function pressButton(s: WebSession, messageId: number | undefined, data: string): Promise<string[]> {
    const stored = messageId === undefined ? undefined : await web.message(s.chatId, messageId);
    return runUpdate(s, {
      callback_query: {
        id: `${WEB_CALLBACK_PREFIX}${nextUpdateId}`,
        from: from(s),
        chat_instance: 'web',
        data,
        message: {
          message_id: stored?.id ?? 0,
          date: stored?.date ?? Math.floor(deps.clock().getTime() / 1000),
          chat: chat(s),
          from: { ...bot.botInfo },
          text: stored?.html ?? '',
          ...(stored?.buttons.length ? { reply_markup: { inline_keyboard: stored.buttons } } : {}),
        },
      },
    });
  }

  await app.register(async (scope) => {
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', APP_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      return payload;
    });

    // Malformed JSON, a wrong content type, a body too large: a message in the visitor's language.
    scope.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
      const t = translator.forLanguage(requestLanguage(req));
      if (err instanceof AppError) return reply.code(err.status).send({ error: err.key, message: t(err.key) });
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) logger.error({ route: req.routeOptions.url, error: err.name }, 'web app request failed');
      const key = status === 413 ? 'webapp.errors.too-long' : status === 500 ? 'webapp.errors.generic' : 'webapp.errors.invalid';
      return reply.code(status).send({ error: key, message: t(key) });
    });

    /** Per-address limit on every API call; per-visitor limit once the session is known. */
    const limitAddress = (req: FastifyRequest) => {
      if (!perAddress.take(req.ip)) throw new AppError(429, 'webapp.errors.too-many');
    };
    const session = async (req: FastifyRequest): Promise<WebSession> => {
      limitAddress(req);
      const s = await sessions.authenticate(readCookie(req));
      if (!s) throw new AppError(401, 'webapp.errors.session');
      if (!perSession.take(s.tokenHash)) throw new AppError(429, 'webapp.errors.too-many');
      return s;
    };
    const body = <T>(schema: z.ZodType<T>, req: FastifyRequest): T => {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) throw new AppError(400, 'webapp.errors.invalid');
      return parsed.data;
    };
    const after = (req: FastifyRequest) => {
      const n = Number((req.query as { after?: string }).after ?? 0);
      if (!Number.isSafeInteger(n) || n < 0) throw new AppError(400, 'webapp.errors.invalid');
      return n;
    };

    scope.get('/app', (_req, reply) => reply.redirect('/app/'));
    scope.get('/app/', (req, reply) => files.send(req, reply, 'index.html'));
    scope.get('/app/:file', (req, reply) => files.send(req, reply, (req.params as { file: string }).file));
    // The texts of all seven languages, built and compressed once (the locale files do not change while running).
    let strings: { body: string; gzip: Buffer } | undefined;
    scope.get('/app/strings.json', async (req, reply) => {
      if (!strings) {
        const body = JSON.stringify(appStrings(translator));
        strings = { body, gzip: gzipSync(body, { level: 9 }) };
      }
      reply.header('cache-control', 'no-cache').header('vary', 'accept-encoding').type('application/json; charset=utf-8');
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(strings.gzip);
      return reply.send(strings.body);
    });

    const api = { bodyLimit: BODY_LIMIT };

    scope.post('/app/api/session', api, async (req, reply) => {
      limitAddress(req);
      const { language } = body(z.object({ language: z.string().refine(isLanguage) }), req);
      if (!newSessions.take(req.ip)) throw new AppError(429, 'webapp.errors.too-many-sessions');
      const created = await sessions.create(language);
      setCookie(req, reply, created.token);
      const s: WebSession = { chatId: created.chatId, tokenHash: '', language };
      // The language is chosen in the app already: tell the bot, which answers with its consent text.
      await inChatOrder(s.chatId, () => pressButton(s, undefined, cb.language(language as Language)));
      return { chatId: created.chatId, language, recoveryCode: created.recoveryCode };
    });

    scope.get('/app/api/session', async (req) => {
      const s = await session(req);
      return { chatId: s.chatId, language: s.language, push: push.enabled };
    });

    scope.post('/app/api/recover', api, async (req, reply) => {
      limitAddress(req);
      const { code } = body(z.object({ code: z.string().max(40) }), req);
      // Guesses count against the same hourly allowance as new sessions.
      if (!newSessions.take(req.ip)) throw new AppError(429, 'webapp.errors.too-many-sessions');
      const found = await sessions.recover(code);
      if (!found) throw new AppError(404, 'webapp.recovery.wrong');
      setCookie(req, reply, found.token);
      return { chatId: found.chatId };
    });

    scope.delete('/app/api/session', async (req, reply) => {
      const s = await session(req);
      await sessions.signOut(s.tokenHash);
      setCookie(req, reply, null);
      return { ok: true };
    });

    scope.post('/app/api/language', api, async (req) => {
      const s = await session(req);
      const { language } = body(z.object({ language: z.string().refine(isLanguage) }), req);
      await sessions.setLanguage(s.chatId, language);
      const next = { ...s, language };
      const notices = await inChatOrder(s.chatId, () => pressButton(next, undefined, cb.language(language as Language)));
      return { ok: true, notices };
    });

    scope.post('/app/api/send', api, async (req) => {
      const s = await session(req);
      const since = after(req);
      const input = req.body as { text?: unknown } | undefined;
      if (typeof input?.text === 'string' && input.text.length > MAX_TEXT) throw new AppError(400, 'webapp.errors.too-long');
      const { text } = body(z.object({ text: z.string().max(MAX_TEXT) }), req);
      if (!text.trim()) throw new AppError(400, 'webapp.errors.empty');
      const command = /^\/[a-z_]+/i.exec(text);
      await inChatOrder(s.chatId, async () => {
        const id = await web.recordUserMessage(s.chatId, text);
        await runUpdate(s, {
          message: {
            message_id: id,
            date: Math.floor(deps.clock().getTime() / 1000),
            chat: chat(s),
            from: from(s),
            text,
            ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
          },
        });
      });
      return web.changes(s.chatId, since);
    });

    scope.post('/app/api/press', api, async (req) => {
      const s = await session(req);
      const since = after(req);
      const { messageId, data } = body(z.object({ messageId: z.number().int().positive(), data: z.string().min(1).max(64) }), req);
      const stored = await web.message(s.chatId, messageId);
      // Only a button the visitor can see (Telegram sends nothing else); a stale one just redraws.
      let notices: string[] = [];
      if (stored?.buttons.flat().some((b) => b.callback_data === data)) {
        notices = await inChatOrder(s.chatId, () => pressButton(s, messageId, data));
      }
      return { ...(await web.changes(s.chatId, since)), notices };
    });

    scope.get('/app/api/messages', async (req) => {
      const s = await session(req);
      const since = after(req);
      if ((req.query as { wait?: string }).wait !== '1') return web.changes(s.chatId, since);
      const abort = new AbortController();
      req.raw.on('close', () => abort.abort());
      return web.waitForChanges(s.chatId, since, LONG_POLL_MS, abort.signal);
    });

    scope.get('/app/api/offline', async (req) => {
      const s = await session(req);
      return offlineData(deps, s.chatId, isLanguage(s.language) ? s.language : FALLBACK_LANGUAGE);
    });

    scope.get('/app/api/push', async (req) => {
      await session(req);
      return { enabled: push.enabled, publicKey: push.publicKey ?? null };
    });
    scope.put('/app/api/push', api, async (req) => {
      const s = await session(req);
      const subscription = body(pushSchema, req);
      if (!push.enabled) throw new AppError(404, 'webapp.push.unavailable');
      if (!isAllowedEndpoint(subscription.endpoint, deps.pushHosts)) throw new AppError(400, 'webapp.push.unavailable');
      await sessions.setPush(s.tokenHash, subscription);
      return { ok: true };
    });
    scope.delete('/app/api/push', async (req) => {
      const s = await session(req);
      await sessions.setPush(s.tokenHash, null);
      return { ok: true };
    });

    scope.all('/app/api/*', async (req) => {
      limitAddress(req);
      throw new AppError(404, 'webapp.errors.invalid');
    });
  });
}
