/**
 * SOS before the consent gate, storing nothing: "show my country's lines" for someone
 * whose citizenship the bot does not know, and the SOS button for someone who types
 * that they were detained before agreeing to anything. A detained person gets the
 * card and the consulate's number in one or two taps, whether or not they agreed.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { chooseContacts } from '../../contacts/contacts.js';
import { CALLBACK_PATTERNS, cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { renderContactChoice } from '../render-contacts.js';
import { answerCallback, show } from '../show.js';
import { SOS_COUNTRIES } from '../sos-card.js';

export function sosCountryContacts(deps: BotDeps) {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(CALLBACK_PATTERNS.sosCountry, async (ctx) => {
    const code = ctx.match[1]!;
    if (!(SOS_COUNTRIES as readonly string[]).includes(code)) return answerCallback(ctx, ctx.t('expired'));
    await answerCallback(ctx);
    const choice = chooseContacts(deps.contacts, code, { urgentOnly: true });
    await show(ctx, renderContactChoice(ctx.t, choice, code, ctx.t('sos.contacts')), undefined, { edit: false });
  });
  // After consent the fallback offers SOS among the topics; before it, only this.
  composer.on('message:text', async (ctx, next) => {
    if (ctx.user?.consentedAt || !deps.sosKeywords.match(ctx.message.text)) return next();
    await show(ctx, ctx.t('sos-match.prompt'), new InlineKeyboard().text(ctx.t('menu.sos'), cb.sos), { edit: false });
  });
  return composer;
}
