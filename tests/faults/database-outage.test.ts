/**
 * PostgreSQL stops under a running bot and starts again, on a cluster this test
 * owns (another port, never the shared server). Nothing the users sent is lost:
 * the webhook answers 503 so Telegram delivers again, polling does not confirm the
 * offset past the update, the user hears "temporarily unavailable" once per outage,
 * and /sos still gives the rights card and the hot lines.
 */
import type { FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotFromContainer } from '../../src/bot/bot-for-container.js';
import { runPolling } from '../../src/bot/polling.js';
import { openDatabase } from '../../src/db/client.js';
import { buildHttpApp, WEBHOOK_PATH } from '../../src/http/app.js';
import { LOCAL_BOT_INFO, LOCAL_BOT_TOKEN } from '../../src/local/local-bot.js';
import { escapeHtml } from '../../src/lib/telegram-html.js';
import { createHarness, type Harness, openCase } from '../helpers/harness.js';
import { findPostgresBinaries, type OwnPostgres, startOwnPostgres } from '../helpers/own-postgres.js';
import { createPollingStandIn } from '../helpers/polling-stand-in.js';
import { testTimeout, waitFor } from '../helpers/wait-for.js';

const binaries = findPostgresBinaries();
if (!binaries) console.warn('[database-outage] skipped: no PostgreSQL binaries (initdb, pg_ctl) on this machine');

const SECRET = 'a-very-long-webhook-secret-123';
const USER = 8201;
let pg: OwnPostgres;
let h: Harness;
let app: FastifyInstance;

describe.skipIf(!binaries)('a PostgreSQL outage', () => {
  beforeAll(async () => {
    pg = await startOwnPostgres(binaries!);
    const database = await openDatabase({ url: pg.url, maxConnections: 3 });
    h = await createHarness({ database });
    app = await buildHttpApp({ container: h.container, bot: h.bot, webhook: { secretToken: SECRET } });
    await openCase(h, USER, 'en', 'My patent renewal was refused');
  }, testTimeout());
  afterAll(async () => {
    await app?.close();
    try {
      pg?.start(); // if a failed test left it stopped
    } catch {}
    await h?.close().catch(() => {});
    pg?.destroy();
  });

  let nextId = 910_000;
  const message = (text: string, languageCode = 'en') =>
    ({
      update_id: nextId++,
      message: {
        message_id: nextId,
        date: Math.floor(h.clock().getTime() / 1000),
        chat: { id: USER, type: 'private' },
        from: { id: USER, is_bot: false, first_name: 'A', language_code: languageCode },
        text,
        ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.length }] } : {}),
      },
    }) as Update;
  const post = (u: Update) => app.inject({ method: 'POST', url: WEBHOOK_PATH, payload: u, headers: { 'x-telegram-bot-api-secret-token': SECRET } });
  const t = (key: string) => h.container.translator.forLanguage('en')(key);
  /** How many times the words are in the user's threads (the /sos below opens a second case). */
  const inThread = async (text: string) => {
    let n = 0;
    for (const c of await h.container.cases.listForUser(USER)) n += (await h.container.cases.get(c.id)).messages.filter((m) => m.message.text === text).length;
    return n;
  };

  it(
    'webhook: answers 503 while it is down, tells the user once, answers /sos, and handles every update once when it is back',
    async () => {
      pg.stop();
      const before = h.texts(USER).length;
      const first = message('The police kept my passport');
      const second = message('Please call me back');
      const sos = message('/sos');

      const answers = [await post(first), await post(second), await post(sos)];
      expect(answers.map((a) => a.statusCode)).toEqual([503, 503, 503]);
      const during = h.texts(USER).slice(before);
      expect(during.filter((x) => x === t('faults.unavailable'))).toHaveLength(1);
      // /sos: the rights card and the hot lines, which need no database.
      expect(during.some((x) => x.startsWith(`${t('sos.card')}\n\n${t('sos.card-ru-title')}\n${h.container.translator.forLanguage('ru')('sos.card-ru')}`))).toBe(true);
      // Citizenship cannot be read now: the lines for everyone.
      const hotline = h.container.contacts.find((c) => c.urgent && !c.for.length)!;
      expect(during.some((x) => x.includes(t('sos.contacts')) && x.includes(escapeHtml(hotline.name)))).toBe(true);

      // Telegram keeps resending: no second apology, and the same /sos is not answered again.
      expect((await post(second)).statusCode).toBe(503);
      expect((await post(sos)).statusCode).toBe(503);
      expect(h.texts(USER).slice(before)).toHaveLength(during.length);

      pg.start();
      // Telegram delivers each again until it gets a 2xx (the pool reconnects on the way).
      for (const u of [first, second, sos]) await waitFor(async () => (await post(u)).statusCode === 200, `update ${u.update_id} to be accepted`);
      expect(await inThread('The police kept my passport')).toBe(1);
      expect(await inThread('Please call me back')).toBe(1);
      expect(h.texts(USER).some((x) => x.startsWith(t('sos.opened').split('{{')[0]!.slice(0, 20)))).toBe(true);
      // Once handled, a further redelivery changes nothing.
      for (const u of [first, second]) expect((await post(u)).statusCode).toBe(200);
      expect(await inThread('The police kept my passport')).toBe(1);
    },
    testTimeout(4),
  );

  it(
    'polling: does not confirm the update while it is down, and handles it once when it is back',
    async () => {
      const standIn = createPollingStandIn(h.api);
      const bot = createBotFromContainer(h.container, { token: LOCAL_BOT_TOKEN, botInfo: LOCAL_BOT_INFO, client: { fetch: standIn.fetch } });
      const runner = runPolling(bot, { allowedUpdates: ['message'], logger: h.container.logger, firstRetryMs: 100 });
      try {
        pg.stop();
        const before = h.texts(USER).length;
        const update = message('Written while the database was down');
        standIn.push(update);
        await waitFor(() => h.texts(USER).length > before, 'the apology');
        const polls = standIn.polls;
        // It is tried again (and again) while the database is down, never confirmed.
        await waitFor(() => standIn.polls >= polls + 3, 'more polls');
        expect(standIn.confirmed).toBeLessThanOrEqual(update.update_id);
        expect(h.texts(USER).slice(before)).toEqual([t('faults.unavailable')]);

        pg.start();
        await waitFor(() => standIn.confirmed > update.update_id, 'the update to be confirmed once handled');
        expect(await inThread('Written while the database was down')).toBe(1);
      } finally {
        await runner.stop();
      }
    },
    testTimeout(3),
  );
});
