/**
 * The help-contacts block: a translated label with the Russian name beside it, the
 * phone, address and hours, where each entry came from and how old it is, whether
 * anyone ever called it, the legally required "foreign agent" label, and a warning
 * that contacts change.
 */
import type { TFunction } from 'i18next';
import type { Contact, ContactChoice } from '../contacts/contacts.js';
import { formatRu } from '../lib/iso-date.js';
import { escapeHtml } from '../lib/telegram-html.js';

/** "2020-01-23" → "23.01.2020", "2024-08" → "08.2024", "2025" → "2025". */
export function formatSourceDate(date: string): string {
  const [y, m, d] = date.split('-');
  return d ? formatRu(date) : m ? `${m}.${y}` : (y ?? date);
}

/** The translated label ("Uzbekistan: embassy"), already HTML-safe; the country is the first one the contact serves. */
export function contactLabel(t: TFunction, c: Contact): string {
  const code = c.for[0];
  return t(`helplines.kinds.${c.kind}`, { country: code ? t(`alerts.countries.${code}`) : '' });
}

/** One contact as a few lines of Telegram HTML. */
export function renderContact(t: TFunction, c: Contact): string {
  const lines = [`• <b>${contactLabel(t, c)}</b> (${escapeHtml(c.name)})`];
  const reach: string[] = [];
  reach.push(c.phone ? `📞 ${escapeHtml(c.phone)}` : `📞 <i>${t('helplines.no-phone')}</i>`);
  if (c.hours) reach.push(escapeHtml(c.hours));
  if (c.url) reach.push(`<a href="${escapeHtml(c.url)}">${escapeHtml(c.url.replace(/^https?:\/\//, ''))}</a>`);
  lines.push(`  ${reach.join(' · ')}`);
  if (c.address) lines.push(`  📍 ${escapeHtml(c.address)}`);
  if (c.foreign_agent) lines.push(`  <i>${t('contacts.foreign-agent')}</i>`);
  const facts = [t('helplines.source', { date: formatSourceDate(c.source_date), checked: formatRu(c.checked_on) })];
  if (c.phone) {
    if (c.called_on) facts.push(t('helplines.called', { date: formatRu(c.called_on) }));
    else {
      if (c.tested) facts.push(t(c.tested.answered ? 'helplines.tested-yes' : 'helplines.tested-no', { by: c.tested.by, date: formatRu(c.tested.on) }));
      facts.push(t('helplines.not-called'));
    }
  }
  lines.push(`  <i>${facts.join('; ')}</i>`);
  return lines.join('\n');
}

/** `title` heads the list (default: other places that help migrants). */
export function renderContacts(t: TFunction, contacts: Contact[], opts: { title?: string } = {}): string {
  if (!contacts.length) return t('escalation.no-contacts');
  return [opts.title ?? t('escalation.contacts-title'), ...contacts.map((c) => renderContact(t, c)), t('helplines.change-warning')].join('\n');
}

/** Citizenship answers that mean "a country the bot has no lines for". */
const OTHER_COUNTRY = new Set(['other', 'other-visa-free', 'visa']);

/**
 * The SOS contacts: the country's own lines first; when none of them has a phone
 * number (or the country is "other"), a sentence saying so; then the lines for
 * everyone. Without a known citizenship, only the general lines and an invitation to
 * pick a country (the caller adds the buttons).
 */
export function renderContactChoice(t: TFunction, choice: ContactChoice, rawCitizenship: string | undefined, title: string): string {
  const parts = [title];
  if (choice.citizenship) {
    parts.push(...choice.forCountry.map((c) => renderContact(t, c)));
    if (!choice.countryHasPhone) {
      parts.push(t('helplines.none-for-country', { country: t(`alerts.countries.${choice.citizenship}`) }));
    }
  } else if (rawCitizenship && OTHER_COUNTRY.has(rawCitizenship)) {
    parts.push(t('helplines.none-other'));
  } else {
    parts.push(t('helplines.unknown'));
  }
  if (choice.general.length) parts.push(t('helplines.general-title'), ...choice.general.map((c) => renderContact(t, c)));
  parts.push(t('helplines.change-warning'));
  return parts.join('\n');
}
