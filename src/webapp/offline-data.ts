/**
 * What the app keeps on the phone for when there is no connection (a person who is
 * detained may have none): the rights card in every language with the Russian text
 * for the officer, the hot lines for the visitor's citizenship, and their saved
 * dates. Texts come from the same locale files and contacts file as the bot's.
 */
import { renderContactChoice } from '../bot/render-contacts.js';
import { type Contact, chooseContacts } from '../contacts/contacts.js';
import { dateLabel } from '../deadlines/date-labels.js';
import type { DeadlineService } from '../deadlines/deadline-service.js';
import type { FlowRunRepository } from '../flow-runs/flow-run-repository.js';
import type { Translator } from '../i18n/i18n.js';
import { LANGUAGES, type Language } from '../i18n/languages.js';
import { buildCaseContext, citizenshipOf } from '../lawyer-queue/case-summary.js';
import { formatRu } from '../lib/iso-date.js';
import { escapeHtml } from '../lib/telegram-html.js';
import type { UserRepository } from '../users/user-repository.js';

/** The app's texts in every language, and the rights cards: the same for everyone, cached by the service worker. */
export function appStrings(translator: Translator) {
  const ru = translator.forLanguage('ru');
  const names = ru('language.names', { returnObjects: true }) as Record<string, string>;
  return {
    languages: LANGUAGES.map((code) => ({ code, name: names[code] ?? code })),
    cardRu: `${ru('sos.card-ru')}`,
    strings: Object.fromEntries(
      LANGUAGES.map((lng) => {
        const t = translator.forLanguage(lng);
        return [lng, { ...(t('webapp', { returnObjects: true }) as Record<string, unknown>), rightsCard: t('sos.card'), rightsCardRuTitle: t('sos.card-ru-title') }];
      }),
    ),
  };
}

export interface OfflineDeps {
  translator: Translator;
  /** The visitor's facts: the citizenship fact chooses the hot lines. */
  facts: { list(userId: number): Promise<Record<string, unknown>> };
  contacts: Contact[];
  users: UserRepository;
  runs: FlowRunRepository;
  deadlines: DeadlineService;
  clock: () => Date;
}

/** The visitor's own part: hot lines for their citizenship and their saved dates, as Telegram HTML. */
export async function offlineData(deps: OfflineDeps, chatId: number, appLanguage: Language) {
  const user = await deps.users.find(chatId);
  const lang = (LANGUAGES as readonly string[]).includes(user?.language ?? '') ? (user!.language as Language) : appLanguage;
  const t = deps.translator.forLanguage(lang);
  // The citizenship the visitor gave (the fact, then the alert setting, then a flow answer),
  // never a guess from the language: a wrong consulate wastes the one call a detained person gets.
  const fact = user?.consentedAt ? (await deps.facts.list(chatId)).citizenship : undefined;
  let citizenship = typeof fact === 'string' ? fact : (user?.citizenship ?? undefined);
  if (!citizenship && user?.consentedAt) citizenship = citizenshipOf(buildCaseContext(await deps.runs.listResults(chatId, 5)));
  const hotlines = renderContactChoice(t, chooseContacts(deps.contacts, citizenship, { urgentOnly: true }), citizenship, t('sos.contacts'));
  const rows = user?.consentedAt ? await deps.deadlines.list(chatId) : [];
  const dates = rows.map((r) => ({
    html: t('webapp.date-line', { label: dateLabel(t, r), date: formatRu(r.date) }) + (r.provisional ? ` ${escapeHtml(t('dates.provisional-mark'))}` : ''),
    date: r.date,
  }));
  return { language: lang, hotlines, dates, savedAt: deps.clock().toISOString() };
}
