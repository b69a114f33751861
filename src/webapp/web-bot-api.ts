/**
 * The Bot API for web visitors: what Telegram does for a Telegram user, done over
 * our own `web_messages` table. It is installed as a grammY API transformer on the
 * bot's clients (`routeWebChats`), so the same bot code answers both kinds of user
 * and a call is routed by its chat id: a web chat id (≥ 2^52) lands here, anything
 * else goes on to Telegram (or to local mode's simulator). It checks what Telegram
 * checks (HTML, lengths, callback data), like the local stand-in it grew from.
 *
 * Bounded: at most MAX_MESSAGES_PER_CHAT messages are kept per chat, and `prune`
 * drops messages older than the retention period. Durable: a restart, a reload or a
 * second device reads the same rows.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { and, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Api } from 'grammy';
import { type Database, rowsOf } from '../db/client.js';
import { WEB_CHAT_ID_START, webChats, webMessages } from '../db/schema/index.js';
import { escapeHtml } from '../lib/telegram-html.js';
import { ApiFailure, type ChatButton, type Markup, readButtons, readText } from '../local/fake-bot-api.js';

/** Whether a chat id belongs to a web visitor (see `web_chat_id_seq`). */
export function isWebChatId(id: unknown): boolean {
  const n = Number(id);
  return Number.isSafeInteger(n) && n >= WEB_CHAT_ID_START;
}

/** Callback query ids we make up for web button presses start with this (Telegram's are digits). */
export const WEB_CALLBACK_PREFIX = 'web:';
/** Messages kept per chat; older ones are pruned (a conversation screen, not an archive). */
export const MAX_MESSAGES_PER_CHAT = 300;
/** Messages a browser gets on first load: the newest ones. */
const FIRST_LOAD = 120;

export interface WebMessage {
  id: number;
  from: 'user' | 'bot';
  html: string;
  buttons: ChatButton[][];
  edited: boolean;
  deleted: boolean;
  date: number;
}

export interface WebChanges {
  /** Pass back as `after` to get only what changed since. */
  rev: number;
  messages: WebMessage[];
}

export interface WebBotApiOptions {
  db: Database;
  botInfo: { id: number; first_name: string; username: string };
  clock: () => Date;
  /** A message reached a visitor outside their own request (a lawyer's answer, a reminder, an alert). */
  onUnsolicited?: (chatId: number) => void;
}

type Row = typeof webMessages.$inferSelect;

const toMessage = (r: Row): WebMessage => ({
  id: r.id,
  from: r.from,
  html: r.html,
  buttons: r.buttons,
  edited: r.edited,
  deleted: r.deleted,
  date: Math.floor(r.createdAt.getTime() / 1000),
});

const nextRev = sql`nextval('web_message_rev_seq')`;

export function createWebBotApi({ db, botInfo, clock, onUnsolicited }: WebBotApiOptions) {
  const waiters = new Map<number, Set<() => void>>();
  /**
   * The web chat whose own request is being handled (its answers need no push), and
   * the short notices the bot gives with a button press (Telegram's toast).
   */
  const inRequest = new AsyncLocalStorage<{ chatId: number; notices: string[] }>();

  const touch = (chatId: number) => {
    const set = waiters.get(chatId);
    if (!set) return;
    waiters.delete(chatId);
    for (const w of set) w();
  };

  const chatIdOf = async (payload: Record<string, unknown>): Promise<number> => {
    const id = Number(payload.chat_id);
    const [chat] = await db.select({ chatId: webChats.chatId }).from(webChats).where(eq(webChats.chatId, id)).limit(1);
    // The visitor's session expired or they used /forget: like a user who left Telegram.
    if (!chat) throw new ApiFailure(403, 'Forbidden: user is deactivated');
    return id;
  };

  const botMessage = async (payload: Record<string, unknown>) => {
    const chatId = await chatIdOf(payload);
    const [m] = await db
      .select()
      .from(webMessages)
      .where(and(eq(webMessages.chatId, chatId), eq(webMessages.id, Number(payload.message_id)), eq(webMessages.deleted, false)))
      .limit(1);
    if (m?.from !== 'bot') throw new ApiFailure(400, 'Bad Request: message to edit not found');
    return { chatId, m };
  };

  const sent = (chatId: number, m: Row) => ({
    message_id: m.id,
    date: Math.floor(m.createdAt.getTime() / 1000),
    chat: { id: chatId, type: 'private' },
    from: { ...botInfo, is_bot: true },
    text: m.html,
    ...(m.buttons.length ? { reply_markup: { inline_keyboard: m.buttons } } : {}),
  });

  const update = async (chatId: number, id: number, set: Partial<Row>) => {
    const [row] = await db
      .update(webMessages)
      .set({ ...set, rev: nextRev })
      .where(eq(webMessages.id, id))
      .returning();
    touch(chatId);
    return row!;
  };

  const handlers: Record<string, (p: Record<string, unknown>) => Promise<unknown>> = {
    sendMessage: async (p) => {
      const chatId = await chatIdOf(p);
      const html = readText(p);
      const buttons = readButtons(p.reply_markup as Markup);
      const [row] = await db.insert(webMessages).values({ chatId, from: 'bot', html, buttons, rev: nextRev, createdAt: clock() }).returning();
      touch(chatId);
      if (inRequest.getStore()?.chatId !== chatId) onUnsolicited?.(chatId);
      return sent(chatId, row!);
    },
    editMessageText: async (p) => {
      const { chatId, m } = await botMessage(p);
      const html = readText(p);
      const buttons = readButtons(p.reply_markup as Markup);
      if (html === m.html && JSON.stringify(buttons) === JSON.stringify(m.buttons)) {
        throw new ApiFailure(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      return sent(chatId, await update(chatId, m.id, { html, buttons, edited: true }));
    },
    editMessageReplyMarkup: async (p) => {
      const { chatId, m } = await botMessage(p);
      return sent(chatId, await update(chatId, m.id, { buttons: readButtons(p.reply_markup as Markup) }));
    },
    deleteMessage: async (p) => {
      const chatId = await chatIdOf(p);
      const [m] = await db
        .select({ id: webMessages.id })
        .from(webMessages)
        .where(and(eq(webMessages.chatId, chatId), eq(webMessages.id, Number(p.message_id)), eq(webMessages.deleted, false)))
        .limit(1);
      if (!m) throw new ApiFailure(400, 'Bad Request: message to delete not found');
      // A tombstone, so other devices learn of the deletion; pruned with the rest.
      await update(chatId, m.id, { deleted: true, html: '', buttons: [] });
      return true;
    },
    // The text Telegram shows as a toast goes back with the press's answer.
    answerCallbackQuery: async (p) => {
      if (typeof p.text === 'string' && p.text.length > 200) throw new ApiFailure(400, 'Bad Request: MESSAGE_TOO_LONG');
      if (typeof p.text === 'string' && p.text) inRequest.getStore()?.notices.push(p.text);
      return true;
    },
  };

  /** One Bot API call for a web chat, answered as Telegram would (`{ ok, result }` or an error). */
  async function call(method: string, payload: Record<string, unknown>): Promise<{ ok: true; result: unknown } | { ok: false; error_code: number; description: string }> {
    const handler = handlers[method];
    try {
      // Methods we do not model (sendChatAction…) simply succeed.
      return { ok: true, result: handler ? await handler(payload) : true };
    } catch (err) {
      if (!(err instanceof ApiFailure)) throw err;
      return { ok: false, error_code: err.code, description: err.description };
    }
  }

  /** Whether this call is for a web visitor rather than Telegram. */
  function owns(method: string, payload: Record<string, unknown> | undefined): boolean {
    if (!payload) return false;
    if (method === 'answerCallbackQuery') return String(payload.callback_query_id ?? '').startsWith(WEB_CALLBACK_PREFIX);
    return isWebChatId(payload.chat_id);
  }

  async function changes(chatId: number, after: number): Promise<WebChanges> {
    const [top] = await db
      .select({ rev: sql<number>`coalesce(max(${webMessages.rev}), 0)`.mapWith(Number) })
      .from(webMessages)
      .where(eq(webMessages.chatId, chatId));
    const rev = top?.rev ?? 0;
    if (after <= 0 || after > rev) {
      // First load (or a cursor from before the chat was reset): the newest messages.
      const rows = await db
        .select()
        .from(webMessages)
        .where(and(eq(webMessages.chatId, chatId), eq(webMessages.deleted, false)))
        .orderBy(desc(webMessages.id))
        .limit(FIRST_LOAD);
      return { rev, messages: rows.reverse().map(toMessage) };
    }
    const rows = await db
      .select()
      .from(webMessages)
      .where(and(eq(webMessages.chatId, chatId), gt(webMessages.rev, after)))
      .orderBy(webMessages.rev);
    return { rev, messages: rows.map(toMessage) };
  }

  return {
    call,
    owns,
    /**
     * Runs a visitor's own update: what the bot sends inside it is an answer, not news
     * to push. Returns the notices the bot gave (plain text, as Telegram shows them).
     */
    async inRequest(chatId: number, fn: () => Promise<unknown>): Promise<string[]> {
      const store = { chatId, notices: [] as string[] };
      await inRequest.run(store, fn);
      return store.notices;
    },

    /** Stores what the visitor typed and returns its message id. */
    async recordUserMessage(chatId: number, text: string): Promise<number> {
      const [row] = await db
        .insert(webMessages)
        .values({ chatId, from: 'user', html: escapeHtml(text), rev: nextRev, createdAt: clock() })
        .returning({ id: webMessages.id });
      touch(chatId);
      return row!.id;
    },

    /** A message of this chat (for a button press: the message it was on). */
    async message(chatId: number, id: number): Promise<WebMessage | undefined> {
      const [row] = await db
        .select()
        .from(webMessages)
        .where(and(eq(webMessages.chatId, chatId), eq(webMessages.id, id), eq(webMessages.deleted, false)))
        .limit(1);
      return row && toMessage(row);
    },

    changes,

    /** Resolves with the changes after `after` as soon as there are any, or after `timeoutMs` (maybe empty). */
    async waitForChanges(chatId: number, after: number, timeoutMs: number, signal?: AbortSignal): Promise<WebChanges> {
      let woken = false;
      let resolveWait = () => {};
      const wait = new Promise<void>((resolve) => {
        resolveWait = resolve;
      });
      const waiter = () => {
        woken = true;
        resolveWait();
      };
      const set = waiters.get(chatId) ?? new Set<() => void>();
      waiters.set(chatId, set);
      set.add(waiter);
      const timer = setTimeout(resolveWait, timeoutMs);
      signal?.addEventListener('abort', resolveWait, { once: true });
      try {
        const now = await changes(chatId, after);
        if (now.messages.length) return now;
        await wait;
        return woken || !signal?.aborted ? await changes(chatId, after) : now;
      } finally {
        clearTimeout(timer);
        waiters.get(chatId)?.delete(waiter);
        if (waiters.get(chatId)?.size === 0) waiters.delete(chatId);
      }
    },

    /**
     * Drops messages older than `retentionDays`, and in each chat all but the newest
     * MAX_MESSAGES_PER_CHAT. Returns how many went.
     */
    async prune(retentionDays: number): Promise<number> {
      const before = new Date(clock().getTime() - retentionDays * 86_400_000);
      const old = await db.delete(webMessages).where(lt(webMessages.createdAt, before)).returning({ id: webMessages.id });
      const over = await db.execute<{ id: number }>(sql`
        select id from (
          select id, row_number() over (partition by chat_id order by id desc) as n from web_messages
        ) ranked where n > ${MAX_MESSAGES_PER_CHAT}`);
      const ids = rowsOf<{ id: number }>(over).map((r) => Number(r.id));
      if (ids.length) await db.delete(webMessages).where(inArray(webMessages.id, ids));
      return old.length + ids.length;
    },

    /** Tells waiting browsers of a chat that something changed (e.g. the chat was deleted). */
    touch,
  };
}

export type WebBotApi = ReturnType<typeof createWebBotApi>;

/**
 * Sends a web chat's Bot API calls to the web store and everything else on to the
 * next transport. Install on every client the bot and the senders use.
 */
export function routeWebChats(api: Api, web: Pick<WebBotApi, 'owns' | 'call'>): void {
  api.config.use((prev, method, payload, signal) => {
    if (web.owns(method, payload as Record<string, unknown>)) {
      return web.call(method, payload as Record<string, unknown>) as ReturnType<typeof prev>;
    }
    return prev(method, payload, signal);
  });
}
