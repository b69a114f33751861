/**
 * Local mode's HTTP side: the browser chat page, and the routes scripts and tests
 * use to talk to the bot as a Telegram user would (`POST /local/updates`) and to see
 * the chat as the user sees it (`GET /local/chats/:chatId`). Registered only in
 * local mode.
 */
import { repoPath } from '../lib/repo-path.js';
import type { FastifyInstance } from 'fastify';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import type { BotContext } from '../bot/context.js';
import { WEB_BUILD_DIR } from '../http/web-build.js';
import { sendWebFile } from '../http/web-file.js';
import type { FakeBotApi } from './fake-bot-api.js';

const WEB_DIR = repoPath('src/local/web/');
/** Longest long-poll wait; browsers and proxies drop idle requests after ~30 s. */
const LONG_POLL_MS = 25_000;
/** Telegram delivers at most 4096 characters of text in one message. */
const MAX_TEXT = 4096;
/** Telegram lets bots download files up to 20 MB; the browser chat's uploads stay well below. */
const MAX_UPLOAD = 10 * 1024 * 1024;
/** What the browser chat may attach, and how the stand-in files it (Telegram's folders). */
const UPLOAD_TYPES: Record<string, { kind: 'photos' | 'voice' | 'documents'; ext: string }> = {
  'image/jpeg': { kind: 'photos', ext: 'jpg' },
  'image/png': { kind: 'photos', ext: 'png' },
  'image/webp': { kind: 'photos', ext: 'webp' },
  'audio/ogg': { kind: 'voice', ext: 'oga' },
  'application/pdf': { kind: 'documents', ext: 'pdf' },
};

const userSchema = z.looseObject({ id: z.number().int().positive(), is_bot: z.boolean().default(false), first_name: z.string().default('User') });
const chatSchema = z.looseObject({ id: z.number().int(), type: z.string().default('private') });

const updateSchema = z
  .looseObject({
    update_id: z.number().int().nonnegative().optional(),
    message: z
      .looseObject({
        message_id: z.number().int().nonnegative().default(0),
        date: z.number().int().optional(),
        chat: chatSchema,
        from: userSchema,
        text: z.string().max(MAX_TEXT, `text is longer than Telegram's ${MAX_TEXT} characters`).optional(),
      })
      .optional(),
    callback_query: z
      .looseObject({
        id: z.string().min(1).default(() => Math.random().toString(36).slice(2)),
        from: userSchema,
        chat_instance: z.string().default('local'),
        data: z.string().max(64).optional(),
        message: z.looseObject({ message_id: z.number().int().positive(), chat: chatSchema }).optional(),
      })
      .optional(),
    my_chat_member: z.looseObject({ chat: chatSchema, from: userSchema }).optional(),
  })
  .refine((u) => [u.message, u.callback_query, u.my_chat_member].filter(Boolean).length === 1, {
    message: 'an update must carry exactly one of message, callback_query, my_chat_member',
  });

export interface LocalRoutesDeps {
  bot: Bot<BotContext>;
  api: FakeBotApi;
  clock: () => Date;
  /** Re-reads flows/ (and the Russian texts in them): for authors trying an edit. */
  reloadFlows?: () => Promise<{ flows: string[] }>;
}

export async function registerLocalRoutes(app: FastifyInstance, { bot, api, clock, reloadFlows }: LocalRoutesDeps) {
  let nextUpdateId = 1;
  // Updates of one chat are handled one at a time, as Telegram delivers them.
  const queues = new Map<number, Promise<unknown>>();
  const inChatOrder = <T>(chatId: number, fn: () => Promise<T>): Promise<T> => {
    const prev = queues.get(chatId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const settled = run.catch(() => {});
    queues.set(chatId, settled);
    void settled.then(() => queues.get(chatId) === settled && queues.delete(chatId));
    return run;
  };

  app.get('/', (_req, reply) => sendWebFile(reply, WEB_DIR, 'index.html'));
  // The page links its assets relatively, so they are served beside it.
  // The chat's script is bundled from web-src/ by scripts/build-web.mjs.
  app.get('/chat.js', (_req, reply) => sendWebFile(reply, `${WEB_BUILD_DIR}local/`, 'chat.js'));
  app.get('/chat.js.map', (_req, reply) => sendWebFile(reply, `${WEB_BUILD_DIR}local/`, 'chat.js.map'));
  app.get('/chat.css', (_req, reply) => sendWebFile(reply, WEB_DIR, 'chat.css'));
  app.get('/local/info', async () => ({ bot: bot.botInfo }));

  app.post('/local/flows/reload', async (_req, reply) => {
    if (!reloadFlows) return reply.code(404).send({ error: 'not available' });
    try {
      return { ok: true, ...(await reloadFlows()) };
    } catch (err) {
      // A flow with a mistake: say where, keep running on the previous flows.
      return reply.code(400).send({ error: (err as Error).message });
    }
  });

  // The browser chat attaches a file: its bytes are kept by the Bot API stand-in (in
  // memory), and the page then sends a message carrying the file id, as Telegram would.
  await app.register(async (scope) => {
    scope.addContentTypeParser(Object.keys(UPLOAD_TYPES), { parseAs: 'buffer', bodyLimit: MAX_UPLOAD }, (_req, body, done) => done(null, body));
    scope.post('/local/files', async (req, reply) => {
      const type = UPLOAD_TYPES[String(req.headers['content-type']).split(';')[0]!.trim()];
      if (!type || !Buffer.isBuffer(req.body) || !req.body.length) {
        return reply.code(400).send({ error: `send the file as the body with one of: ${Object.keys(UPLOAD_TYPES).join(', ')}` });
      }
      const { fileId, path } = api.putFile(new Uint8Array(req.body), type.kind, type.ext);
      return { file_id: fileId, file_path: path, kind: type.kind };
    });
  });

  app.post('/local/updates', async (req, reply) => {
    const parsed = updateSchema.safeParse(req.body);
    if (!parsed.success) {
      return reply.code(400).send({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'update'}: ${i.message}`).join('; ') });
    }
    const u = parsed.data;
    const now = Math.floor(clock().getTime() / 1000);
    const update = { ...u, update_id: u.update_id ?? nextUpdateId++ } as Record<string, unknown>;
    const chatId = u.message?.chat.id ?? u.callback_query?.message?.chat.id ?? u.callback_query?.from.id ?? u.my_chat_member!.chat.id;

    return inChatOrder(chatId, async () => {
      if (u.message) {
        const shown = u.message.text ?? [u.message.photo ? '📷' : u.message.voice ? '🎤' : u.message.document ? '📎' : '', u.message.caption].filter(Boolean).join(' ');
        const id = u.message.message_id || api.recordUserMessage(chatId, String(shown));
        update.message = { ...u.message, message_id: id, date: u.message.date ?? now };
      }
      if (u.callback_query?.message) {
        const stored = api.message(chatId, u.callback_query.message.message_id);
        update.callback_query = {
          ...u.callback_query,
          message: {
            message_id: u.callback_query.message.message_id,
            date: stored?.date ?? now,
            chat: { ...u.callback_query.message.chat, type: 'private' },
            from: { ...bot.botInfo },
            text: stored?.html ?? '',
            ...(stored?.buttons.length ? { reply_markup: { inline_keyboard: stored.buttons } } : {}),
          },
        };
      }
      const { calls } = await api.capture(() => bot.handleUpdate(update as unknown as Update));
      return { ok: true, calls };
    });
  });

  // A document the bot sent (or a file the user attached): the browser chat's download link.
  app.get('/local/files/:fileId', async (req, reply) => {
    const fileId = String((req.params as { fileId?: string }).fileId ?? '');
    const file = /^LocalFile_[A-Za-z0-9_]{1,40}$/.test(fileId) ? api.fileBytes(fileId) : undefined;
    if (!file) return reply.code(404).send({ error: 'no such file' });
    const name = file.path.split('/').pop() ?? 'file';
    const pdf = name.endsWith('.pdf');
    return reply
      .header('content-type', pdf ? 'application/pdf' : 'application/octet-stream')
      // A PDF opens in the browser's viewer; anything else downloads.
      .header('content-disposition', `${pdf ? 'inline' : 'attachment'}; filename="${name}"`)
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(file.bytes));
  });

  const chatParams = z.object({ chatId: z.coerce.number().int() });
  app.get('/local/chats/:chatId', async (req, reply) => {
    const p = chatParams.safeParse(req.params);
    if (!p.success) return reply.code(400).send({ error: 'chatId must be a number' });
    return api.view(p.data.chatId);
  });
  app.get('/local/chats/:chatId/wait', async (req, reply) => {
    const p = chatParams.safeParse(req.params);
    const after = Number((req.query as { after?: string }).after ?? -1);
    if (!p.success || !Number.isFinite(after)) return reply.code(400).send({ error: 'chatId and after must be numbers' });
    return api.waitForChange(p.data.chatId, after, LONG_POLL_MS);
  });
}
