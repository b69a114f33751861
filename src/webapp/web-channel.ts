/**
 * The web channel, built once per process over the container and the bot: the web
 * Bot API store, anonymous sessions, Web Push, and the routes. The same in every
 * mode; `route(api)` makes a Bot API client send web chats' calls to the store.
 */
import { repoPath } from '../lib/repo-path.js';
import type { Api, Bot } from 'grammy';
import type { BotContext } from '../bot/context.js';
import type { Container } from '../container.js';
import { FALLBACK_LANGUAGE, isLanguage } from '../i18n/languages.js';
import { createWebBotApi, routeWebChats } from './web-bot-api.js';
import { createWebPushSender } from './web-push-sender.js';
import { createWebSessions } from './web-sessions.js';
import type { WebAppDeps } from './webapp-routes.js';
import type { Agent } from 'node:https';

/** Where `npm run build:app` writes the app. */
export const APP_BUILD_DIR = repoPath('dist/app/');

export interface WebChannelOptions {
  /** TLS agent for push requests (tests: trust the local stand-in push service). */
  pushAgent?: Agent;
  staticDir?: string;
}

export function createWebChannel(c: Container, bot: Bot<BotContext>, opts: WebChannelOptions = {}) {
  const { config } = c;
  const sessions = createWebSessions({ db: c.database.db, clock: c.clock, forgetUser: (id) => c.cases.forgetUser(id) });
  const push = createWebPushSender({
    sessions,
    translator: c.translator,
    languageOf: async (chatId) => {
      const lng = (await c.users.find(chatId))?.language;
      return isLanguage(lng) ? lng : FALLBACK_LANGUAGE;
    },
    logger: c.logger,
    vapid: config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY ? { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject: config.VAPID_SUBJECT } : undefined,
    allowedHosts: config.WEB_PUSH_HOSTS,
    agent: opts.pushAgent,
  });
  const web = createWebBotApi({ db: c.database.db, botInfo: bot.botInfo, clock: c.clock, onUnsolicited: (chatId) => push.notify(chatId) });
  routeWebChats(bot.api, web);

  const routeDeps: WebAppDeps = {
    bot,
    web,
    sessions,
    push,
    translator: c.translator,
    logger: c.logger,
    contacts: c.contacts,
    users: c.users,
    runs: c.runs,
    deadlines: c.deadlines,
    facts: c.factService,
    clock: c.clock,
    limits: { perSession: config.WEBAPP_RATE_LIMIT, perAddress: config.WEBAPP_ADDRESS_RATE_LIMIT, sessionsPerHour: config.WEBAPP_SESSIONS_PER_HOUR },
    pushHosts: config.WEB_PUSH_HOSTS,
    staticDir: opts.staticDir ?? APP_BUILD_DIR,
  };

  return {
    web,
    sessions,
    push,
    routeDeps,
    /** Sends this client's web-chat calls to the store too (the alert sender's own client). */
    route: (api: Api) => routeWebChats(api, web),
    /** Forgets idle visitors and prunes old messages; returns counts for the log. */
    async sweep() {
      const expired = await sessions.expireIdle(config.WEBAPP_IDLE_DAYS);
      const pruned = await web.prune(config.WEBAPP_MESSAGE_RETENTION_DAYS);
      return { expired, pruned };
    },
  };
}

export type WebChannel = ReturnType<typeof createWebChannel>;
