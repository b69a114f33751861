/** The app's texts, from the server's locale files (`webapp` group), cached on the phone. */
import type { AppStrings } from './api.js';

export const LANGUAGES = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'] as const;

let strings: AppStrings | undefined;
let lang = 'ru';

export function setStrings(s: AppStrings | undefined): void {
  strings = s;
}
export function getStrings(): AppStrings | undefined {
  return strings;
}
export function setLanguage(lng: string): void {
  lang = lng;
  document.documentElement.lang = lng;
}
export function language(): string {
  return lang;
}

/** The browser's language if we speak it, else Russian. */
export function guessLanguage(): string {
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().split('-')[0] ?? '';
    if ((LANGUAGES as readonly string[]).includes(base)) return base;
  }
  return 'ru';
}

function lookup(lng: string, key: string): string | undefined {
  let node: unknown = strings?.strings[lng];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : undefined;
}

/** `key` inside the `webapp` group (or `rightsCard` / `rightsCardRuTitle`), with {{name}} replaced by plain values. */
export function t(key: string, values: Record<string, string> = {}, lng = lang): string {
  const text = lookup(lng, key) ?? lookup('ru', key) ?? key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}
