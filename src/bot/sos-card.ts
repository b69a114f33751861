/**
 * The rights card for someone detained or whose documents were taken: in their
 * language and in Russian to show the officer, with the hot lines for their
 * citizenship. Shown at once, even before the user agreed to anything.
 */
import { InlineKeyboard } from 'grammy';
import { chooseContacts } from '../contacts/contacts.js';
import { buildCaseContext, citizenshipOf } from '../lawyer-queue/case-summary.js';
import { cb } from './callback-data.js';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { COUNTRIES } from './features/alert-settings.js';
import { renderContactChoice } from './render-contacts.js';
import { renderCitations } from './render-flow.js';
import { formatRu } from '../lib/iso-date.js';

/**
 * The card in the user's language, the Russian text for the officer, and, as under
 * every answer, its legal basis and the day it was last checked. Only locale files and
 * configuration: no database, so it is the first thing a detained person sees.
 */
export function rightsCardText(ctx: BotContext, deps: BotDeps): string {
  return [
    ctx.t('sos.card'),
    `${ctx.t('sos.card-ru-title')}\n${deps.translator.forLanguage('ru')('sos.card-ru')}`,
    [renderCitations(ctx.t, deps.rightsCard), ctx.t('outcome.reviewed', { date: formatRu(deps.rightsCard.reviewed_on) }), `<i>${ctx.t('outcome.disclaimer')}</i>`].join('\n'),
  ].join('\n\n');
}

/**
 * The one button under the card: "What is happening now?" opens the guided SOS branches
 * (flow `sos`: when the hold must end, what to say, how long to appeal). A tap, so the
 * card itself still needs nothing from the database.
 */
export function rightsCardKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard().text(ctx.t('sos.what-now'), cb.flow('sos'));
}

/** A citizenship answered in the user's recent flows (only once they agreed to storage). */
async function answeredCitizenship(ctx: BotContext, deps: BotDeps): Promise<string | undefined> {
  if (!ctx.user?.consentedAt) return undefined;
  return citizenshipOf(buildCaseContext(await deps.runs.listResults(ctx.from!.id, 5)));
}

/**
 * The user's citizenship as they gave it (the citizenship fact, alert settings, or an answer in the flow
 * being walked or a finished one),
 * never a guess from the language: an Uzbek speaker may be a citizen of Tajikistan,
 * and a wrong consulate wastes the one phone call a detained person gets.
 * `caseCitizenship`: the urgent case's, worked out from the same answers when it was
 * opened (so they need not be read again); undefined when there is no case.
 */
export async function sosCitizenship(ctx: BotContext, deps: BotDeps, caseCitizenship?: string | null): Promise<string | undefined> {
  // The citizenship fact is the truth (users.citizenship is the alert audience's copy);
  // read only for someone who agreed to storage, and never before the card is sent.
  if (ctx.user?.consentedAt && ctx.from) {
    const fact = (await deps.factService.list(ctx.from.id)).citizenship;
    if (typeof fact === 'string') return fact;
  }
  if (ctx.user?.citizenship) return ctx.user.citizenship;
  // The flow being walked is already loaded with the user: no extra read.
  const walking = ctx.known?.run?.answers.citizenship;
  if (typeof walking === 'string') return walking;
  if (caseCitizenship !== undefined) return caseCitizenship ?? undefined;
  return answeredCitizenship(ctx, deps);
}

/** The countries a user can pick on the SOS screen (every citizenship the bot offers but "other"). */
export const SOS_COUNTRIES = COUNTRIES.filter((c) => c !== 'other');

/** Country buttons above `base`: shown when the citizenship is not known. */
function withCountryPicker(ctx: BotContext, base?: InlineKeyboard): InlineKeyboard {
  const kb = new InlineKeyboard();
  SOS_COUNTRIES.forEach((c, i) => {
    kb.text(ctx.t(`alerts.countries.${c}`), cb.sosCountry(c));
    if (i % 2 === 1) kb.row();
  });
  kb.row();
  return base ? InlineKeyboard.from([...kb.inline_keyboard.filter((r) => r.length), ...base.inline_keyboard]) : kb;
}

export interface UrgentContacts {
  text: string;
  /** `base` with the country buttons above it when the citizenship is not known. */
  keyboard(base?: InlineKeyboard): InlineKeyboard | undefined;
}

/** The hot lines for the SOS screen, chosen by citizenship (see `sosCitizenship`). */
export async function urgentContacts(ctx: BotContext, deps: BotDeps, caseCitizenship?: string | null): Promise<UrgentContacts> {
  const citizenship = await sosCitizenship(ctx, deps, caseCitizenship);
  const choice = chooseContacts(deps.contacts, citizenship, { urgentOnly: true });
  const pick = !choice.citizenship && citizenship === undefined;
  return {
    text: renderContactChoice(ctx.t, choice, citizenship, ctx.t('sos.contacts')),
    keyboard: (base) => (pick ? withCountryPicker(ctx, base) : base),
  };
}
