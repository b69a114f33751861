/**
 * A redelivered update is handled once, whichever way it comes: the webhook (Telegram
 * resends when our answer was slow), polling (a new process is given what the old
 * one had not confirmed) and local mode's /local/updates. Local mode numbers its
 * updates afresh at each start, so the same id from another start is a new update.
 */
import type { FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotFromContainer } from '../../src/bot/bot-for-container.js';
import { runPolling } from '../../src/bot/polling.js';
import { buildHttpApp, WEBHOOK_PATH } from '../../src/http/app.js';
import { LOCAL_BOT_INFO, LOCAL_BOT_TOKEN } from '../../src/local/local-bot.js';
import { UPDATE_RETENTION_MS } from '../../src/updates/processed-updates.js';
import { createHarness, type Harness, openCase } from '../helpers/harness.js';
import { createPollingStandIn } from '../helpers/polling-stand-in.js';
import { testTimeout, waitFor } from '../helpers/wait-for.js';

const SECRET = 'a-very-long-webhook-secret-123';
const USER = 8101;
let h: Harness;
let caseId: number;
let webhook: FastifyInstance;
let local: FastifyInstance;

beforeAll(async () => {
  h = await createHarness();
  caseId = await openCase(h, USER, 'ru', 'Мне отказали в продлении патента');
  webhook = await buildHttpApp({ container: h.container, bot: h.bot, webhook: { secretToken: SECRET } });
  local = await buildHttpApp({ container: h.container, bot: h.bot, local: { api: h.api } });
});
afterAll(async () => {
  await webhook.close();
  await local.close();
  await h.close();
});

const message = (updateId: number, text: string) =>
  ({
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(h.clock().getTime() / 1000), chat: { id: USER, type: 'private' }, from: { id: USER, is_bot: false, first_name: 'A' }, text },
  }) as Update;

/** How many times the user's words are in the case's thread. */
const inThread = async (text: string) => (await h.container.cases.get(caseId)).messages.filter((m) => m.message.text === text).length;

describe('a redelivered update', () => {
  it('is handled once through the webhook: one message in the lawyer’s thread', async () => {
    const update = message(900_001, 'Забыл добавить: срок патента истекает 01.03');
    const post = () => webhook.inject({ method: 'POST', url: WEBHOOK_PATH, payload: update, headers: { 'x-telegram-bot-api-secret-token': SECRET } });
    expect((await post()).statusCode).toBe(200);
    const replies = h.texts(USER).length;
    expect((await post()).statusCode).toBe(200); // Telegram is told it arrived, so it stops resending
    expect(await inThread('Забыл добавить: срок патента истекает 01.03')).toBe(1);
    expect(h.texts(USER)).toHaveLength(replies); // and the user is not answered twice
  });

  it('is handled once when two deliveries of it arrive at the same time', async () => {
    const update = message(900_002, 'Ещё одно уточнение');
    const post = () => webhook.inject({ method: 'POST', url: WEBHOOK_PATH, payload: update, headers: { 'x-telegram-bot-api-secret-token': SECRET } });
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(await inThread('Ещё одно уточнение')).toBe(1);
  });

  it('is handled once through /local/updates', async () => {
    const update = message(900_003, 'Уточнение из локального режима');
    const first = await local.inject({ method: 'POST', url: '/local/updates', payload: update });
    const again = await local.inject({ method: 'POST', url: '/local/updates', payload: update });
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json().calls).toEqual([]);
    expect(await inThread('Уточнение из локального режима')).toBe(1);
  });

  it('is a new update when it comes from another start of local mode with the same number', async () => {
    const restarted = createBotFromContainer(h.container, { token: LOCAL_BOT_TOKEN, botInfo: LOCAL_BOT_INFO, client: { fetch: h.api.fetch }, updateSource: 'local:second-start' });
    await restarted.handleUpdate(message(900_003, 'Новое сообщение после перезапуска'));
    expect(await inThread('Новое сообщение после перезапуска')).toBe(1);
  });

  it('is forgotten after the retention window, and not before', async () => {
    const processed = h.container.processedUpdates;
    processed.mark('retention-test', 1, h.clock());
    await processed.drain();
    expect(await processed.prune(new Date(h.clock().getTime() + UPDATE_RETENTION_MS - 60_000))).toBe(0);
    expect(await processed.prune(new Date(h.clock().getTime() + UPDATE_RETENTION_MS + 60_000))).toBeGreaterThanOrEqual(1);
    await h.restart(); // a new process: nothing in memory, so only the table answers
    expect(await h.container.processedUpdates.seen('retention-test', 1)).toBe(false);
  });

  it(
    'is handled once when a new polling process is given what the last one handled but had not confirmed',
    async () => {
      const update = message(900_004, 'Сообщение, полученное через long polling');
      const poll = async () => {
        const standIn = createPollingStandIn(h.api);
        standIn.push(update);
        const bot = createBotFromContainer(h.container, { token: LOCAL_BOT_TOKEN, botInfo: LOCAL_BOT_INFO, client: { fetch: standIn.fetch } });
        const runner = runPolling(bot, { allowedUpdates: ['message'], logger: h.container.logger });
        await waitFor(() => standIn.confirmed > update.update_id, 'the update to be confirmed');
        await runner.stop();
      };
      await poll();
      await h.restart(); // a new process (its memory empty), which Telegram gives the same update again
      await poll();
      expect(await inThread('Сообщение, полученное через long polling')).toBe(1);
    },
    testTimeout(2),
  );
});
