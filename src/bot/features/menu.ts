/** The main menu and help, reachable from everywhere by command or button. */
import { Composer } from 'grammy';
import { FLOWS_NS, flowKeys } from '../../flow-engine/flow-texts.js';
import { cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { mainMenuKeyboard, menuOnlyKeyboard } from '../keyboards.js';
import { answerCallback, show } from '../show.js';

/** Shows the menu, offering to continue a run that stopped at a question. */
export async function showMainMenu(ctx: BotContext, deps: BotDeps, opts: { edit?: boolean; prefix?: string } = {}) {
  let resumeTitle: string | undefined;
  if (ctx.user?.consentedAt) {
    const run = await deps.flowService.current(ctx.user.id);
    if (run.kind === 'screen' && run.screen.view.kind === 'question') {
      resumeTitle = ctx.t(flowKeys.title(run.screen.flow.id), { ns: FLOWS_NS });
    }
  }
  const text = opts.prefix ? `${opts.prefix}\n\n${ctx.t('menu.title')}` : ctx.t('menu.title');
  await show(ctx, text, mainMenuKeyboard(ctx.t, deps.flows, resumeTitle), opts);
}

export function menu(deps: BotDeps) {
  const composer = new Composer<BotContext>();
  composer.command('menu', (ctx) => showMainMenu(ctx, deps));
  composer.callbackQuery(cb.menu, async (ctx) => {
    await answerCallback(ctx);
    await showMainMenu(ctx, deps, { edit: !isOnAnswer(ctx) });
  });
  composer.command('help', (ctx) => show(ctx, ctx.t('help.text'), menuOnlyKeyboard(ctx.t)));
  composer.callbackQuery(cb.help, async (ctx) => {
    await answerCallback(ctx);
    await show(ctx, ctx.t('help.text'), menuOnlyKeyboard(ctx.t));
  });
  return composer;
}

/**
 * Whether the pressed button sits on an answer screen (answers and hand-offs carry
 * both "Main menu" and "Start again"). Answers stay in the chat for the user to show
 * an official later, so navigation from them sends a new message instead of editing.
 */
export function isOnAnswer(ctx: BotContext): boolean {
  const rows = ctx.callbackQuery?.message?.reply_markup?.inline_keyboard ?? [];
  const data = rows.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));
  return data.includes(cb.menu) && data.some((d) => d.startsWith('f:'));
}
