/**
 * Puts a screen in front of the user: edits the message whose button was pressed
 * (so the chat does not fill with old menus), or sends a new one. Long texts are
 * split at Telegram's 4096-character limit, with the buttons on the last part.
 */
import { GrammyError, type InlineKeyboard } from 'grammy';
import type { BotContext } from './context.js';

/** Telegram's limit for one message's text, in UTF-16 code units after entities parsing. */
export const MAX_MESSAGE_LENGTH = 4096;

/** Splits at paragraph, then line, boundaries; never inside an HTML tag we wrote. */
export function splitMessage(text: string, limit = MAX_MESSAGE_LENGTH): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n\n', limit);
    if (cut <= 0) cut = rest.lastIndexOf('\n', limit);
    if (cut <= 0) cut = limit;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  if (rest) parts.push(rest);
  return parts;
}

function isHarmlessEditError(err: unknown): boolean {
  return err instanceof GrammyError && /message is not modified/.test(err.description);
}

function cannotEdit(err: unknown): boolean {
  return err instanceof GrammyError && /message (to edit not found|can't be edited)/.test(err.description);
}

export async function show(
  ctx: BotContext,
  text: string,
  keyboard?: InlineKeyboard,
  opts: { edit?: boolean } = {},
): Promise<void> {
  const parts = splitMessage(text);
  const canEdit = opts.edit !== false && ctx.callbackQuery?.message && parts.length === 1;
  if (canEdit) {
    try {
      await ctx.editMessageText(parts[0]!, { parse_mode: 'HTML', reply_markup: keyboard, link_preview_options: { is_disabled: true } });
      return;
    } catch (err) {
      if (isHarmlessEditError(err)) return;
      if (!cannotEdit(err)) throw err;
    }
  }
  for (const [i, part] of parts.entries()) {
    await ctx.reply(part, {
      parse_mode: 'HTML',
      reply_markup: i === parts.length - 1 ? keyboard : undefined,
      link_preview_options: { is_disabled: true },
    });
  }
}

/** Answers the button press (stops the spinner), ignoring a query that is too old to answer. */
export async function answerCallback(ctx: BotContext, text?: string): Promise<void> {
  if (!ctx.callbackQuery) return;
  try {
    await ctx.answerCallbackQuery(text ? { text } : undefined);
  } catch (err) {
    if (!(err instanceof GrammyError && /query is too old|query ID is invalid/.test(err.description))) throw err;
  }
}
