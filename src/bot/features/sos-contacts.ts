/**
 * "Show my country's lines" on the SOS screen, for someone whose citizenship the bot
 * does not know. Before the consent gate, and it stores nothing: a detained person
 * gets the consulate's number in one tap, whether or not they agreed to anything.
 */
import { Composer } from 'grammy';
import { chooseContacts } from '../../contacts/contacts.js';
import { CALLBACK_PATTERNS } from '../callback-data.js';
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
  return composer;
}
