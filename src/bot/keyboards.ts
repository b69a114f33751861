/** Inline keyboards shared by features. */
import { trusted } from '../i18n/i18n.js';
import { InlineKeyboard } from 'grammy';
import type { TFunction } from 'i18next';
import type { FlowSet } from '../flow-engine/loader.js';
import { FLOWS_NS, flowKeys } from '../flow-engine/flow-texts.js';
import { LANGUAGES } from '../i18n/languages.js';
import { cb } from './callback-data.js';

export function languageKeyboard(t: TFunction): InlineKeyboard {
  const kb = new InlineKeyboard();
  LANGUAGES.forEach((lng, i) => {
    kb.text(t(`language.names.${lng}`), cb.language(lng));
    if (i % 2 === 1) kb.row();
  });
  return kb;
}

export function mainMenuKeyboard(t: TFunction, flows: FlowSet, resumeTitle?: string): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (resumeTitle) kb.text(t('menu.continue', { title: trusted(resumeTitle) }), cb.resume).row();
  for (const flow of flows.list) kb.text(t(flowKeys.title(flow.id), { ns: FLOWS_NS }), cb.flow(flow.id)).row();
  kb.text(t('menu.situation'), cb.situation).row();
  kb.text(t('menu.lawyer'), cb.lawyer).text(t('menu.cases'), cb.cases).row();
  kb.text(t('menu.dates'), cb.dates).text(t('menu.alerts'), cb.alerts).row();
  kb.text(t('menu.sos'), cb.sos).row();
  kb.text(t('menu.language'), cb.languageMenu).text(t('menu.help'), cb.help);
  return kb;
}

export function menuOnlyKeyboard(t: TFunction): InlineKeyboard {
  return new InlineKeyboard().text(t('nav.menu'), cb.menu);
}
