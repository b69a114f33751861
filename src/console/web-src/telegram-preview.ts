import { findTelegramHtmlProblems } from '../../lib/telegram-html.js';
import { renderTelegramHtml } from '../../lib/telegram-html-dom.js';
import { h, t } from './helpers.js';

// ---------------------------------------------------------------------------
// Telegram HTML: safe preview and the same checks the server makes
// ---------------------------------------------------------------------------

/**
 * Renders alert text the way Telegram shows it. The text is parsed by DOMParser
 * (an inert document: nothing runs, nothing loads) and only the allowed tags are
 * rebuilt here; everything else becomes plain text. Links keep only http(s) hrefs.
 */
/** Telegram HTML as the alert preview shows it (the same renderer as the local chat). */
export function telegramPreview(html) {
  return renderTelegramHtml(html);
}

/** Plain text of a Telegram HTML text (for one-line previews). */
export function plainText(html) {
  const box = h('div', {}, telegramPreview(html));
  for (const el of box.querySelectorAll<HTMLElement>('blockquote, pre')) el.append(' ');
  return box.textContent.replace(/\s+/g, ' ').trim();
}

/** What Telegram (and our server) would reject, in the console's language: the server's own check. */
export function telegramHtmlProblems(text: string): string[] {
  return findTelegramHtmlProblems(text).map((p) => {
    switch (p.code) {
      case 'tag':
        return t('htmlTag', { tag: p.tag });
      case 'close':
        return t('htmlClose', { tag: p.tag, top: p.top });
      case 'close-nothing':
        return t('htmlCloseNothing', { tag: p.tag });
      case 'href':
        return t('htmlHref');
      case 'entity':
        return t('htmlEntity', { e: p.entity });
      case 'bare':
        return t('htmlBare', { c: p.char, esc: p.escaped });
      default:
        return t('htmlUnclosed', { tag: p.tag });
    }
  });
}
