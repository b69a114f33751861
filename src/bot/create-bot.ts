/**
 * Builds the bot: the same middleware for Telegram, webhook and local mode. Only
 * the transport (token, API root, `fetch`) differs, so local mode exercises the
 * real code path.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type BotConfig, Composer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { chatMember } from './features/chat-member.js';
import { dates, datesInput } from './features/dates.js';
import { alertSettings } from './features/alert-settings.js';
import { fallback } from './features/fallback.js';
import { flows } from './features/flows.js';
import { documents } from './features/documents.js';
import { forget } from './features/forget.js';
import { caseThread, lawyerCommands, lawyerInput } from './features/lawyer.js';
import { menu } from './features/menu.js';
import { consentGate, onboarding } from './features/onboarding.js';
import { sosCountryContacts } from './features/sos-contacts.js';
import { situation, situationInput } from './features/situation.js';
import { userContext } from './features/user-context.js';
import { errorFacts } from '../lib/error-facts.js';
import { isInfrastructureError } from '../lib/infrastructure-errors.js';
import { TELEGRAM_SOURCE } from '../updates/processed-updates.js';
import { isDeferral, updateGuard, updateKind } from './update-guard.js';

export interface CreateBotOptions {
  token: string;
  /** Known bot identity; skips getMe (tests, local mode). */
  botInfo?: UserFromGetMe;
  client?: BotConfig<BotContext>['client'];
  /** Retries on 429 / 5xx / network errors (off in tests that check failures). */
  retry?: { maxRetryAttempts: number; maxDelaySeconds: number } | false;
  /**
   * Whose numbering the update ids follow, for dropping repeats: Telegram's
   * (default), or local mode's, which starts afresh with each process.
   */
  updateSource?: string;
}

/** Default retry policy: enough to ride out a flood-wait or a Telegram hiccup. */
export const DEFAULT_RETRY = { maxRetryAttempts: 5, maxDelaySeconds: 60 };

export function createBot(opts: CreateBotOptions, deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(opts.token, { botInfo: opts.botInfo, client: opts.client });
  if (opts.retry !== false) {
    bot.api.config.use(autoRetry({ ...(opts.retry ?? DEFAULT_RETRY), rethrowInternalServerErrors: false, rethrowHttpErrors: false }));
  }

  // One update at a time per chat: a double tap must not advance a flow twice.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  // Then, once per update: a repeat is dropped, a database outage defers it (after the
  // chat's queue, so a redelivery waits for the first delivery and then sees it done).
  bot.use(updateGuard({ ...deps, source: opts.updateSource ?? TELEGRAM_SOURCE }));

  // The bot serves people one to one; groups and channels are ignored.
  const privateChats = bot.filter((ctx) => ctx.chat?.type === 'private' || (ctx.chat === undefined && ctx.from !== undefined));

  const features = new Composer<BotContext>();
  features.use(userContext(deps));
  features.use(chatMember(deps));
  features.use(onboarding(deps));
  features.use(forget(deps));
  features.use(sosCountryContacts(deps)); // before the gate: a detained person gets the lines in one tap
  features.use(consentGate(deps));
  features.use(menu(deps));
  features.use(lawyerCommands(deps));
  features.use(dates(deps));
  features.use(situation(deps));
  features.use(alertSettings(deps));
  features.use(lawyerInput(deps)); // a question being written comes before everything else typed
  features.use(datesInput(deps)); // then a date being typed for "My dates"
  features.use(situationInput(deps)); // then a fact being typed for "What the bot knows"
  features.use(caseThread(deps)); // then the open case's thread (unless a flow waits for a date)
  features.use(documents(deps)); // "📄 Russian text of …" under an answer
  features.use(flows(deps));
  features.use(fallback(deps)); // last: whatever nobody else handled

  privateChats.errorBoundary(async (err) => {
    // The database being down is not this update's fault: the guard defers it.
    if (isInfrastructureError(err.error)) throw err.error;
    const ctx = err.ctx;
    // The error's class, message (scrubbed of quoted values and query parameters),
    // code and stack, and the update's kind and id: never texts or names.
    deps.logger.error({ updateId: ctx.update.update_id, updateKind: updateKind(ctx.update), error: errorFacts(err.error) }, 'update failed');
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => {});
      if (ctx.chat) await ctx.reply(ctx.t ? ctx.t('errors.generic') : 'Извините, что-то пошло не так. /menu');
    } catch {
      // Telegram itself is failing; the log line above is all we can do.
    }
  }, features);

  bot.catch((err) => {
    // Deferred updates were logged by the guard (and come again); anything else here is a bug outside the boundary.
    if (isDeferral(err)) return;
    deps.logger.error({ updateId: err.ctx.update.update_id, updateKind: updateKind(err.ctx.update), error: errorFacts(err.error) }, 'unhandled bot error');
  });
  return bot;
}
