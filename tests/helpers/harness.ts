/**
 * Drives the real bot the way Telegram would: updates go in through
 * `bot.handleUpdate`, and every Bot API call lands in the fake Bot API, which keeps
 * each chat as the user sees it. Nothing of ours is mocked.
 */
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { createBotFromContainer } from '../../src/bot/bot-for-container.js';
import type { BotContext } from '../../src/bot/context.js';
import { loadConfig } from '../../src/config.js';
import { type Container, createContainer } from '../../src/container.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { createFakeBotApi, type FakeBotApi } from '../../src/local/fake-bot-api.js';
import { LOCAL_BOT_INFO, LOCAL_BOT_TOKEN } from '../../src/local/local-bot.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createReminderScheduler } from '../../src/deadlines/reminder-scheduler.js';
import { createOutboxSender } from '../../src/outbox/outbox.js';
import { openTestDatabase } from './test-database.js';

export interface Harness {
  container: Container;
  bot: Bot<BotContext>;
  api: FakeBotApi;
  database: DatabaseHandle;
  clock: TestClock;
  /** The user types a message (commands get their entity, as Telegram adds it). */
  send(userId: number, text: string, opts?: { languageCode?: string }): Promise<void>;
  /** The user presses the button with this label (or callback data) on the newest message that has it. */
  press(userId: number, labelOrData: string | RegExp): Promise<void>;
  /** Raw update, for odd and malformed ones. */
  update(update: Record<string, unknown>): Promise<void>;
  /** The newest bot message in the user's chat, as displayed. */
  last(userId: number): { html: string; buttons: string[]; data: string[]; id: number };
  /** All bot message texts so far in the chat. */
  texts(userId: number): string[];
  /** Runs the durable sender once: delivers everything due (lawyer answers, notices). */
  deliver(): Promise<number>;
  /** Runs the reminder scheduler once (due reminders → outbox), then delivers. */
  remind(): Promise<number>;
  /** Simulates a process restart: new container and bot over the same database and chats. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestClock {
  (): Date;
  set(iso: string): void;
  advanceDays(days: number): void;
}

export function createTestClock(start = '2026-02-20T09:00:00+03:00'): TestClock {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (iso) => {
    now = new Date(iso).getTime();
  };
  clock.advanceDays = (days) => {
    now += days * 86_400_000;
  };
  return clock;
}

export async function createHarness(
  opts: { clock?: TestClock; retry?: boolean; env?: Record<string, string>; /** A database of the test's own (default: a fresh test database). */ database?: DatabaseHandle; logger?: Logger } = {},
): Promise<Harness> {
  const clock = opts.clock ?? createTestClock();
  const database = opts.database ?? (await openTestDatabase());
  const config = loadConfig({ LOG_LEVEL: 'silent', ...opts.env });
  const logger = opts.logger ?? createLogger('silent');
  const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, clock });
  let container = await createContainer(config, logger, { clock, database });
  const makeBot = () =>
    createBotFromContainer(container, {
      token: LOCAL_BOT_TOKEN,
      botInfo: LOCAL_BOT_INFO,
      client: { fetch: api.fetch },
      retry: opts.retry === false ? false : { maxRetryAttempts: 3, maxDelaySeconds: 2 },
    });
  let bot = makeBot();
  let updateId = 1;

  const from = (id: number, languageCode?: string) => ({ id, is_bot: false, first_name: 'Test', language_code: languageCode });
  const find = (userId: number, labelOrData: string | RegExp) => {
    const messages = api.view(userId).messages.filter((m) => m.from === 'bot').reverse();
    for (const m of messages) {
      for (const b of m.buttons.flat()) {
        const hit =
          typeof labelOrData === 'string'
            ? b.text === labelOrData || b.callback_data === labelOrData
            : labelOrData.test(b.text) || labelOrData.test(b.callback_data ?? '');
        if (hit && b.callback_data) return { message: m, data: b.callback_data };
      }
    }
    const labels = messages[0]?.buttons.flat().map((b) => b.text).join(' | ');
    throw new Error(`no button ${String(labelOrData)}; the newest message has: ${labels}`);
  };

  const h: Harness = {
    get container() {
      return container;
    },
    get bot() {
      return bot;
    },
    api,
    database,
    clock,
    async send(userId, text, o = {}) {
      const id = api.recordUserMessage(userId, text);
      const command = /^\/\w+/.exec(text);
      await bot.handleUpdate({
        update_id: updateId++,
        message: {
          message_id: id,
          date: Math.floor(clock().getTime() / 1000),
          chat: { id: userId, type: 'private', first_name: 'Test' },
          from: from(userId, o.languageCode),
          text,
          ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
        },
      } as Update);
    },
    async press(userId, labelOrData) {
      const { message, data } = find(userId, labelOrData);
      await bot.handleUpdate({
        update_id: updateId++,
        callback_query: {
          id: String(updateId),
          from: from(userId),
          chat_instance: 'test',
          data,
          message: {
            message_id: message.id,
            date: message.date,
            chat: { id: userId, type: 'private', first_name: 'Test' },
            text: message.html,
            reply_markup: { inline_keyboard: message.buttons as never },
          },
        },
      } as Update);
    },
    async update(u) {
      await bot.handleUpdate({ update_id: updateId++, ...u } as Update);
    },
    last(userId) {
      const m = api.view(userId).messages.filter((x) => x.from === 'bot').at(-1);
      if (!m) throw new Error(`no bot message in chat ${userId}`);
      return { id: m.id, html: m.html, buttons: m.buttons.flat().map((b) => b.text), data: m.buttons.flat().map((b) => b.callback_data ?? '') };
    },
    texts(userId) {
      return api.view(userId).messages.filter((x) => x.from === 'bot').map((m) => m.html);
    },
    deliver() {
      return createOutboxSender({
        db: database.db,
        api: bot.api,
        clock,
        logger,
        onBlocked: async (chatId) => container.users.setBlocked(Number(chatId), true, clock()),
      }).runOnce();
    },
    async remind() {
      const n = await createReminderScheduler({
        db: database.db,
        deadlines: container.deadlines,
        translator: container.translator,
        clock,
        logger,
        quiet: config.QUIET_HOURS,
        wakeOutbox: () => {},
      }).runOnce();
      await h.deliver();
      return n;
    },
    async restart() {
      // As a graceful stop does: what the old process queued is written first.
      await container.runs.drain();
      await container.processedUpdates.drain();
      container = await createContainer(config, logger, { clock, database });
      bot = makeBot();
    },
    async close() {
      await container.close();
    },
  };
  return h;
}

/** A new user asks a lawyer a question from the main menu; returns the case id the bot announced. */
export async function openCase(h: Harness, userId: number, lang: string, text: string): Promise<number> {
  await onboard(h, userId, lang);
  await h.press(userId, 'a');
  await h.send(userId, text);
  await h.press(userId, 'cs');
  return caseIdShown(h, userId);
}

/** The case number in the newest bot message ("… #12 …"). */
export function caseIdShown(h: Harness, userId: number): number {
  return Number(/#(\d+)/.exec(h.last(userId).html)?.[1]);
}

/** Takes a new user through /start → language → consent. */
export async function onboard(h: Harness, userId: number, lang: string) {
  await h.send(userId, '/start');
  await h.press(userId, `l:${lang}`);
  await h.press(userId, 'c:y');
}
