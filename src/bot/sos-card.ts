/**
 * The rights card for someone detained or whose documents were taken: in their
 * language and in Russian to show the officer, with the hot lines most likely to
 * help them. Shown at once, even before the user agreed to anything.
 */
import { buildCaseContext, citizenshipOf } from '../lawyer-queue/case-summary.js';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { renderContacts } from './render-contacts.js';

/** Language → the country (ISO alpha-2) most of its speakers here come from. */
export const LIKELY_COUNTRY: Record<string, string | undefined> = { uz: 'uz', tg: 'tj', ky: 'kg', az: 'az', ro: 'md' };

export function rightsCardText(ctx: BotContext, deps: BotDeps): string {
  return [ctx.t('sos.card'), `${ctx.t('sos.card-ru-title')}\n${deps.translator.forLanguage('ru')('sos.card-ru')}`].join('\n\n');
}

/** A citizenship answered in the user's recent flows (only once they agreed to storage). */
async function answeredCitizenship(ctx: BotContext, deps: BotDeps): Promise<string | undefined> {
  if (!ctx.user?.consentedAt) return undefined;
  return citizenshipOf(buildCaseContext(await deps.runs.listResults(ctx.from!.id, 5)));
}

/**
 * `caseCitizenship`: the urgent case's, which was worked out from the same answers
 * when it was opened (so they need not be read again); undefined when there is no case.
 */
export async function urgentContactsText(ctx: BotContext, deps: BotDeps, caseCitizenship?: string | null): Promise<string> {
  let fromAnswers: string | undefined;
  if (caseCitizenship !== undefined) fromAnswers = caseCitizenship ?? undefined;
  else if (!ctx.user?.citizenship) fromAnswers = await answeredCitizenship(ctx, deps);
  // Without an answer about citizenship, the language is the best guess of whose consulate to call.
  const citizenship = ctx.user?.citizenship ?? fromAnswers ?? LIKELY_COUNTRY[ctx.lang];
  const urgent = deps.contacts.filter((c) => c.urgent && (!c.for.length || (citizenship !== undefined && c.for.includes(citizenship))));
  return renderContacts(ctx.t, urgent.length ? urgent : deps.contacts, { urgent: true, title: ctx.t('sos.contacts') });
}
