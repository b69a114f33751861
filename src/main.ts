/**
 * Entry point: read config, build the container, start the bot in one of three
 * modes (Telegram long polling, Telegram webhook, or local mode with no token) and
 * the HTTP server, and stop gracefully on SIGTERM / SIGINT.
 */
import { createBotFromContainer } from './bot/bot-for-container.js';
import { LOCAL_BOT_INFO, LOCAL_BOT_TOKEN } from './local/local-bot.js';
import { ConfigError, isLocalMode, loadConfig } from './config.js';
import { createContainer, loadStartContent } from './container.js';
import { FlowDefinitionError } from './flow-engine/errors.js';
import { CannedAnswersError, loadCannedAnswers } from './lawyer-queue/template-seeds.js';
import { WEBHOOK_PATH, buildHttpApp } from './http/app.js';
import { LANGUAGES } from './i18n/languages.js';
import { createFakeBotApi } from './local/fake-bot-api.js';
import { createLogger } from './logger.js';
import { ensureLocalTokens, localTokensFile } from './local/local-tokens.js';
import { createOutboxSender } from './outbox/outbox.js';
import { createReminderScheduler } from './deadlines/reminder-scheduler.js';
import { createBroadcastSender } from './broadcasts/broadcast-sender.js';
import type { Container } from './container.js';
import { Api } from 'grammy';
import { errorFacts } from './lib/error-facts.js';
import { createWebChannel, type WebChannel } from './webapp/web-channel.js';
import { useCheckedContentCache } from './lib/checked-content-cache.js';
import { fileURLToPath } from 'node:url';

/** Defined (true) by the bundle's build, scripts/build-server.mjs; absent under tsx and in tests. */
declare const __PRAVO_BUNDLE__: boolean | undefined;

const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;
const COMMANDS = ['start', 'menu', 'situation', 'facts', 'dates', 'sos', 'cases', 'alerts', 'stop_alerts', 'language', 'help', 'forget'] as const;
/** How often closed cases past the retention period are anonymised. */
const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/**
 * The durable senders (outbox, reminders, alerts) and the retention sweep, the same
 * in every mode. Alerts use `broadcastApi`, an API client without auto-retry: the
 * broadcast sender paces itself and handles 429 for all its sends at once.
 */
function startBackgroundWork(container: Container, api: Api, broadcastApi: Api, webapp: WebChannel) {
  webapp.route(broadcastApi);
  const sender = createOutboxSender({
    db: container.database.db,
    api,
    clock: container.clock,
    logger: container.logger,
    onBlocked: async (chatId) => container.users.setBlocked(Number(chatId), true, container.clock()),
  });
  container.outboxWaker.wake = sender.wake;
  sender.start();
  const reminders = createReminderScheduler({
    db: container.database.db,
    deadlines: container.deadlines,
    translator: container.translator,
    clock: container.clock,
    logger: container.logger,
    quiet: container.config.QUIET_HOURS,
    wakeOutbox: sender.wake,
  });
  reminders.start();
  const broadcasts = createBroadcastSender({
    db: container.database.db,
    api: broadcastApi,
    alertsService: container.alerts,
    translator: container.translator,
    clock: container.clock,
    logger: container.logger,
    onBlocked: (userId) => container.users.setBlocked(userId, true, container.clock()),
    rate: container.config.BROADCAST_RATE,
  });
  broadcasts.start();
  const sweep = () =>
    container.cases
      .anonymiseExpired(container.config.CASE_RETENTION_DAYS)
      .then((n) => n && container.logger.info({ anonymised: n }, 'retention sweep'))
      .then(() => container.processedUpdates.prune(container.clock()))
      .then(() => container.cluster?.prune())
      // The alert audience's +1/−1 rows, folded even while nobody counts an audience.
      .then(() => container.alerts.foldAudienceCounts())
      .catch((err) => container.logger.error({ error: errorFacts(err) }, 'retention sweep failed'));
  // Web visitors idle past WEBAPP_IDLE_DAYS are forgotten; old web messages are pruned.
  const webSweep = () =>
    webapp
      .sweep()
      .then((n) => (n.expired || n.pruned) && container.logger.info(n, 'web app sweep'))
      .catch((err) => container.logger.error({ error: errorFacts(err) }, 'web app sweep failed'));
  const sweepAll = () => Promise.all([sweep(), webSweep()]);
  void sweepAll();
  const timer = setInterval(sweepAll, RETENTION_SWEEP_MS);
  return async () => {
    clearInterval(timer);
    await broadcasts.stop();
    await reminders.stop();
    await sender.stop();
    await webapp.push.flush();
  };
}

async function main() {
  // The bundle reuses the content checks its build (or an earlier start) did: its own folder, emptied by every build.
  if (typeof __PRAVO_BUNDLE__ !== 'undefined' && __PRAVO_BUNDLE__) useCheckedContentCache(fileURLToPath(new URL('checked-content/', import.meta.url)));
  if (process.argv[2] === '--check-content') {
    // The build runs this once, so even the first start after it finds the content checked.
    const config = loadConfig();
    await loadCannedAnswers(config.CANNED_ANSWERS_FILE);
    await loadStartContent(config);
    process.exit(0);
  }
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const container = await createContainer(config, logger);
  const stops: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const shutdown = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error({ error: errorFacts(err) }, 'stop failed'));
    await container.close();
    process.exit(code);
  };

  if (isLocalMode(config)) {
    const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, clock: container.clock });
    // Local mode numbers updates from 1 at each start: its own source key per start.
    const updateSource = `local:${Date.now().toString(36)}`;
    const bot = createBotFromContainer(container, { token: LOCAL_BOT_TOKEN, botInfo: LOCAL_BOT_INFO, client: { fetch: api.fetch }, updateSource });
    const webapp = createWebChannel(container, bot);
    // The staff tokens are checked (database round trips) while the HTTP app is built (CPU), not while the first user waits.
    const tokensReady = ensureLocalTokens(container.staff, localTokensFile(config.PGLITE_DIR));
    tokensReady.catch(() => {});
    const app = await buildHttpApp({ container, bot, local: { api }, webapp });
    await app.listen({ host: config.HOST, port: config.PORT });
    stops.push(() => app.close(), startBackgroundWork(container, bot.api, new Api(LOCAL_BOT_TOKEN, { fetch: api.fetch }), webapp));
    const tokens = await tokensReady;
    const shown = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST;
    console.log(`\nPravo is running in local mode (no BOT_TOKEN; nothing goes to Telegram).`);
    console.log(`Database: ${container.database.kind}${container.database.kind === 'pglite' ? ` in ${config.PGLITE_DIR}` : ''}`);
    console.log(`Open the chat: http://${shown}:${config.PORT}/ (simulator: you pick the Telegram user)`);
    console.log(`The web app for migrants: http://${shown}:${config.PORT}/app/`);
    console.log(`Admin API: http://${shown}:${config.PORT}/api (OpenAPI at /docs). Local tokens:`);
    for (const t of tokens) console.log(`  ${t.role.padEnd(6)} ${t.name.padEnd(15)} ${t.token}`);
    console.log('');
  } else {
    const bot = createBotFromContainer(container, {
      token: config.BOT_TOKEN!,
      client: { apiRoot: config.TELEGRAM_API_ROOT },
    });
    await bot.init();
    for (const lng of LANGUAGES) {
      const t = container.translator.forLanguage(lng);
      await bot.api.setMyCommands(
        COMMANDS.map((command) => ({ command, description: t(`commands.${command}`) })),
        lng === 'ru' ? {} : { language_code: lng },
      );
    }
    // The alert sender's own client: no auto-retry, it paces itself (see startBackgroundWork).
    const broadcastApi = new Api(config.BOT_TOKEN!, { apiRoot: config.TELEGRAM_API_ROOT });
    // Web visitors get the same bot; their chats' calls go to the web store, not Telegram.
    const webapp = createWebChannel(container, bot);
    if (config.BOT_MODE === 'webhook') {
      const app = await buildHttpApp({ container, bot, webhook: { secretToken: config.WEBHOOK_SECRET! }, webapp });
      await app.listen({ host: config.HOST, port: config.PORT });
      await bot.api.setWebhook(new URL(WEBHOOK_PATH, config.WEBHOOK_URL).href, {
        secret_token: config.WEBHOOK_SECRET,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      stops.push(() => app.close(), startBackgroundWork(container, bot.api, broadcastApi, webapp));
      logger.info({ port: config.PORT }, 'webhook mode started');
    } else {
      const app = await buildHttpApp({ container, bot, webapp });
      await app.listen({ host: config.HOST, port: config.PORT });
      stops.push(() => app.close(), startBackgroundWork(container, bot.api, broadcastApi, webapp));
      const startPolling = async () => {
        await bot.api.deleteWebhook();
        // Polling mode only: local mode and webhooks do not load @grammyjs/runner.
        const { runPolling } = await import('./bot/polling.js');
        const runner = runPolling(bot, { allowedUpdates: ALLOWED_UPDATES, logger });
        // Runner first: it finishes the updates in hand before the database closes.
        stops.push(async () => runner.isRunning() && runner.stop());
        logger.info({ bot: bot.botInfo.username }, 'polling started');
      };
      const cluster = container.cluster;
      if (!cluster) await startPolling();
      else {
        // Several processes: only the elected one polls; the others take over when it stops or dies.
        const leader = cluster.pollLeader();
        const waiting = new AbortController();
        stops.push(async () => waiting.abort());
        leader.onLost(() => void shutdown('poller lock lost', 1));
        leader
          .acquire(waiting.signal)
          .then(() => (stopping ? undefined : startPolling()))
          .catch((err) => {
            if (!waiting.signal.aborted) {
              logger.error({ error: errorFacts(err) }, 'polling could not start');
              void shutdown('polling failed', 1);
            }
          });
      }
    }
  }

  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof FlowDefinitionError || err instanceof CannedAnswersError) {
    console.error(`Pravo cannot start: ${err.message}`);
  } else {
    console.error('Pravo cannot start:', err);
  }
  process.exit(1);
});
