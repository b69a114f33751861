import { EN } from './i18n-en.js';
import { RU } from './i18n-ru.js';
// ---------------------------------------------------------------------------
// Dictionary (every visible label, in Russian and English)
// ---------------------------------------------------------------------------

export const I18N = { ru: RU, en: EN };

export const LOCALES = { ru: 'ru-RU', en: 'en-GB' };
