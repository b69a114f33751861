/** The help-contacts block, with check dates and the legally required "foreign agent" label. */
import type { TFunction } from 'i18next';
import type { Contact } from '../contacts/contacts.js';
import { formatRu } from '../lib/iso-date.js';
import { escapeHtml } from '../lib/telegram-html.js';


/** `title` heads the list (default: other places that help migrants). */
export function renderContacts(t: TFunction, contacts: Contact[], opts: { urgent?: boolean; title?: string } = {}): string {
  const shown = opts.urgent ? [...contacts].sort((a, b) => Number(b.urgent) - Number(a.urgent)) : contacts;
  if (!shown.length) return t('escalation.no-contacts');
  const lines = [opts.title ?? t('escalation.contacts-title')];
  for (const c of shown) {
    const bits = [`<b>${escapeHtml(c.name)}</b>`];
    if (c.phone) bits.push(escapeHtml(c.phone));
    if (c.url) bits.push(`<a href="${escapeHtml(c.url)}">${escapeHtml(c.url.replace(/^https?:\/\//, ''))}</a>`);
    if (c.hours) bits.push(escapeHtml(c.hours));
    if (c.foreign_agent) bits.push(`<i>${t('contacts.foreign-agent')}</i>`);
    bits.push(`<i>${t('contacts.checked', { date: formatRu(c.checked_on) })}</i>`);
    lines.push(`• ${bits.join(' · ')}`);
  }
  return lines.join('\n');
}
