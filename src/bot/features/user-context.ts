/**
 * Loads the user's row once per update and picks the language: the stored one, or
 * Telegram's `language_code` for someone new, or Russian.
 */
import { Composer } from 'grammy';
import { FALLBACK_LANGUAGE, isLanguage, languageFromTelegram } from '../../i18n/languages.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

export function userContext({ runs, translator }: BotDeps) {
  const composer = new Composer<BotContext>();
  composer.use(async (ctx, next) => {
    // Telegram's language first, so that even a database failure is apologised for
    // in a language the user reads.
    ctx.lang = languageFromTelegram(ctx.from?.language_code) ?? FALLBACK_LANGUAGE;
    ctx.t = translator.forLanguage(ctx.lang);
    const id = ctx.from?.id;
    const found = id === undefined ? undefined : await runs.findUserAndRun(id);
    ctx.user = found?.user;
    ctx.known = { run: found?.run };
    ctx.pending = found?.pending;
    ctx.openCaseId = found?.openCaseId;
    const stored = ctx.user?.language;
    if (isLanguage(stored) && stored !== ctx.lang) {
      ctx.lang = stored;
      ctx.t = translator.forLanguage(stored);
    }
    await next();
  });
  return composer;
}
