/**
 * The first step of every update, whatever brought it (webhook, polling, local
 * mode): a repeat of an update already handled is dropped, and an update that
 * fails because the database is unreachable is deferred rather than lost. The
 * transports turn a deferral into "deliver it again": the webhook answers 503,
 * polling keeps the offset, local mode answers 503.
 *
 * While the database is down the user hears "temporarily unavailable" once per
 * outage, and /sos still gets the rights card and the hot lines, which come from
 * the locale files and contacts.yaml, not the database.
 */
import type { Middleware } from 'grammy';
import type { Update } from 'grammy/types';
import { FALLBACK_LANGUAGE, languageFromTelegram } from '../i18n/languages.js';
import { errorFacts } from '../lib/error-facts.js';
import { isInfrastructureError } from '../lib/infrastructure-errors.js';
import { cb } from './callback-data.js';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { rightsCardText, urgentContacts } from './sos-card.js';

/** Thrown out of `bot.handleUpdate` when an update must be delivered again later. */
export class UpdateDeferredError extends Error {
  override readonly name = 'UpdateDeferredError';
  readonly statusCode = 503;
  constructor(
    readonly updateId: number,
    cause: unknown,
  ) {
    super(`update ${updateId} deferred: the database is unavailable; deliver it again later`, { cause });
  }
}

/** Whether `err` (as `handleUpdate` throws it, wrapped in a BotError) is a deferral. */
export function isDeferral(err: unknown): err is { error: UpdateDeferredError } | UpdateDeferredError {
  return err instanceof UpdateDeferredError || (err as { error?: unknown } | null)?.error instanceof UpdateDeferredError;
}

/** The kind of an update (`message`, `callback_query`, …): its one key besides the id. */
export function updateKind(update: Update): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

export interface UpdateGuardDeps extends BotDeps {
  /** The numbering the update ids belong to (see processed-updates.ts). */
  source: string;
}

function isSos(ctx: BotContext): boolean {
  return ctx.callbackQuery?.data === cb.sos || (ctx.message?.text !== undefined && /^\/sos(@\w+)?(\s|$)/.test(ctx.message.text));
}

/** What the user gets while the database is down: the SOS card, or the apology once. */
async function answerDuringOutage(ctx: BotContext, deps: UpdateGuardDeps): Promise<void> {
  const chatId = ctx.chat?.type === 'private' ? ctx.chat.id : ctx.chat === undefined ? ctx.from?.id : undefined;
  if (chatId === undefined) return;
  // The stored language cannot be read now; Telegram's is the best guess.
  ctx.lang = languageFromTelegram(ctx.from?.language_code) ?? FALLBACK_LANGUAGE;
  ctx.t = deps.translator.forLanguage(ctx.lang);
  ctx.user = undefined;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => {});
  if (isSos(ctx)) {
    if (!deps.outage.firstForUpdate(ctx.update.update_id)) return;
    const html = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };
    await ctx.api.sendMessage(chatId, rightsCardText(ctx, deps), html);
    await ctx.api.sendMessage(chatId, `${(await urgentContacts(ctx, deps)).text}\n\n${ctx.t('faults.sos-later')}`, html);
    return;
  }
  if (deps.outage.firstInOutage(chatId)) await ctx.api.sendMessage(chatId, ctx.t('faults.unavailable'), { parse_mode: 'HTML' });
}

/**
 * NUL cannot be stored in a PostgreSQL text column (and means nothing in a
 * message): it is dropped from what users type before any feature sees it.
 */
function dropNul(update: Update): void {
  for (const m of [update.message, update.edited_message]) {
    if (!m) continue;
    if (m.text?.includes('\0')) (m as { text: string }).text = m.text.replaceAll('\0', '');
    if (m.caption?.includes('\0')) (m as { caption: string }).caption = m.caption.replaceAll('\0', '');
  }
  const q = update.callback_query;
  if (q?.data?.includes('\0')) (q as { data: string }).data = q.data.replaceAll('\0', '');
}

export function updateGuard(deps: UpdateGuardDeps): Middleware<BotContext> {
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    dropNul(ctx.update);
    const dropped = () => deps.logger.info({ updateId: id, updateKind: updateKind(ctx.update), source: deps.source }, 'repeated update dropped');
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    try {
      if (deps.chatTurns && chatId !== undefined) {
        // Several processes: the chat's lock is held until the update's writes are stored (src/cluster/).
        await deps.chatTurns.run({ chatId, source: deps.source, updateId: id, at: deps.clock() }, async (turn) => {
          if (turn.seen) {
            dropped();
            return false;
          }
          await next();
          return true;
        });
        deps.outage.over();
        return;
      }
      if (await deps.processedUpdates.seen(deps.source, id)) {
        dropped();
        return;
      }
      await next();
      // Marked after handling: a crash in between means it is handled again, never lost.
      deps.processedUpdates.mark(deps.source, id, deps.clock());
      deps.outage.over();
    } catch (err) {
      if (!isInfrastructureError(err)) throw err;
      deps.logger.warn({ updateId: id, updateKind: updateKind(ctx.update), error: errorFacts(err) }, 'update deferred: database unavailable');
      // Telegram failing too leaves nothing to tell; the update is still deferred.
      await answerDuringOutage(ctx, deps).catch(() => {});
      throw new UpdateDeferredError(id, err);
    }
  };
}
