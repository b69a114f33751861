/** The languages the bot speaks, in the order the language menu shows them. */
export const LANGUAGES = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Russian is the fallback: officials read it, and every text is written in it first. */
export const FALLBACK_LANGUAGE: Language = 'ru';

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

/** Guesses the language from Telegram's `language_code` ("uz", "ru-RU", "tg"…). */
export function languageFromTelegram(code: string | undefined): Language | undefined {
  const base = code?.toLowerCase().split('-')[0];
  return isLanguage(base) ? base : undefined;
}
