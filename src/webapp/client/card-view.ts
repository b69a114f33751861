/**
 * The rights card, the hot lines and the saved dates: everything here is on the
 * phone already (strings and offline data are cached), so it works with no
 * connection, for a person who is detained.
 */
import type { OfflineData } from './api.js';
import { h } from './h.js';
import { getStrings, language, t } from './i18n.js';
import { linkPhones, telegramHtml } from './telegram-html.js';

export function cardView(offline: OfflineData | undefined, cardLang: string, onCardLang: (lng: string) => void): HTMLElement {
  const strings = getStrings();
  const select = h('select', { id: 'card-lang', onchange: ((e: Event) => onCardLang((e.target as HTMLSelectElement).value)) as EventListener });
  for (const l of strings?.languages ?? []) select.append(h('option', { value: l.code, selected: l.code === cardLang, lang: l.code }, l.name));

  const card = h('div', { class: 'card-text', lang: cardLang }, telegramHtml(t('rightsCard', {}, cardLang)));
  const ru = h(
    'section',
    { class: 'card-ru', lang: 'ru', 'aria-labelledby': 'card-ru-title' },
    h('h3', { id: 'card-ru-title' }, telegramHtml(t('rightsCardRuTitle', {}, cardLang)).textContent ?? ''),
    h('p', {}, telegramHtml(strings?.cardRu ?? '')),
  );
  const hotlines = h('div', { class: 'hotlines' });
  if (offline) {
    hotlines.append(telegramHtml(offline.hotlines));
    linkPhones(hotlines);
  }
  const dates = offline?.dates.length
    ? h('ul', { class: 'dates' }, ...offline.dates.map((d) => h('li', {}, telegramHtml(d.html))))
    : h('p', { class: 'muted' }, t('no-dates'));
  const saved = offline ? h('p', { class: 'muted small' }, t('saved-at', { date: new Date(offline.savedAt).toLocaleString(language()) })) : null;

  return h(
    'div',
    { class: 'card-view' },
    h('section', { 'aria-labelledby': 'card-title' },
      h('h2', { id: 'card-title' }, t('card')),
      h('p', { class: 'hint' }, t('card-hint')),
      h('label', { for: 'card-lang', class: 'inline-label' }, t('card-language')),
      select,
      card,
      ru,
    ),
    h('section', { 'aria-labelledby': 'hotlines-title' }, h('h2', { id: 'hotlines-title' }, t('hotlines')), offline ? hotlines : h('p', { class: 'muted' }, '—')),
    h('section', { 'aria-labelledby': 'dates-title' }, h('h2', { id: 'dates-title' }, t('my-dates')), dates, saved),
  );
}
