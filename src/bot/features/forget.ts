/** /forget: after a confirmation, deletes everything the bot holds about the user. */
import { Composer, InlineKeyboard } from 'grammy';
import { cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { menuOnlyKeyboard } from '../keyboards.js';
import { answerCallback, show } from '../show.js';

export function forget({ cases, runs }: BotDeps) {
  const composer = new Composer<BotContext>();
  composer.command('forget', async (ctx) => {
    if (!ctx.user) return show(ctx, ctx.t('forget.nothing'));
    const kb = new InlineKeyboard().text(ctx.t('forget.yes'), cb.forgetYes).row().text(ctx.t('forget.no'), cb.forgetNo);
    await show(ctx, ctx.t('forget.confirm'), kb);
  });
  composer.callbackQuery(cb.forgetYes, async (ctx) => {
    await answerCallback(ctx);
    // Queued flow steps first, so none of them lands after the deletion.
    await runs.settle(ctx.from.id);
    const deleted = await cases.forgetUser(ctx.from.id);
    // The reply stays in the user's language although the language itself is gone.
    await show(ctx, ctx.t(deleted ? 'forget.done' : 'forget.nothing'));
  });
  composer.callbackQuery(cb.forgetNo, async (ctx) => {
    await answerCallback(ctx);
    await show(ctx, ctx.t('forget.cancelled'), ctx.user?.consentedAt ? menuOnlyKeyboard(ctx.t) : undefined);
  });
  return composer;
}
