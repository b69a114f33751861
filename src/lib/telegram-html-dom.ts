/**
 * Shows Telegram HTML in a browser page (the local chat's messages, the console's
 * alert preview): rebuilds only the subset Telegram displays, from scratch, and
 * keeps just the text of everything else, so a message can never run script or
 * load anything. Links follow the one rule in telegram-html.ts.
 */
import { safeTelegramHref } from './telegram-html.js';

const HTML_NS = 'http://www.w3.org/1999/xhtml';
/** Tags shown as themselves; their aliases get the same look. */
const LOOK: Record<string, string> = { b: 'b', strong: 'b', i: 'i', em: 'i', u: 'u', ins: 'u', s: 's', strike: 's', del: 's', code: 'code', pre: 'pre', blockquote: 'blockquote' };
/** Deeper nesting is flattened to text (a hostile message cannot exhaust the stack). */
const MAX_DEPTH = 64;

/** A fragment with only safe nodes built from `html` (DOMParser documents run and load nothing). */
export function renderTelegramHtml(html: string | null | undefined): DocumentFragment {
  const out = document.createDocumentFragment();
  if (typeof html !== 'string' || html === '') return out;
  // The explicit <body> keeps leading newlines (they are dropped before <body> otherwise).
  const doc = new DOMParser().parseFromString(`<!DOCTYPE html><html><head></head><body>${html}`, 'text/html');
  copySafe(doc.body, out, 0);
  return out;
}

function copySafe(src: Node, out: Node, depth: number): void {
  for (const node of Array.from(src.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) {
      out.appendChild(document.createTextNode((node as Text).data));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
    const el = node as Element;
    if (depth >= MAX_DEPTH) {
      out.appendChild(document.createTextNode(el.textContent || ''));
      continue;
    }
    const tag = el.namespaceURI === HTML_NS ? el.localName : '';
    let made: HTMLElement | null = null;
    if (tag === 'br') {
      out.appendChild(document.createElement('br'));
      continue;
    }
    if (LOOK[tag]) made = document.createElement(LOOK[tag]!);
    else if (tag === 'a') {
      const href = safeTelegramHref(el.getAttribute('href'));
      if (href) {
        made = document.createElement('a');
        made.setAttribute('href', href);
        made.setAttribute('target', '_blank');
        made.setAttribute('rel', 'noopener noreferrer nofollow');
      } else {
        made = document.createElement('span');
        made.className = 'tg-link-bad';
      }
    } else if (tag === 'tg-spoiler' || (tag === 'span' && el.classList.contains('tg-spoiler'))) {
      made = document.createElement('span');
      made.className = 'tg-spoiler';
      made.tabIndex = 0;
      made.setAttribute('role', 'button');
      made.setAttribute('aria-pressed', 'false');
      made.title = 'Spoiler: click to reveal';
    }
    const from = tag === 'template' ? (el as HTMLTemplateElement).content : el;
    if (made) {
      copySafe(from, made, depth + 1);
      out.appendChild(made);
    } else {
      copySafe(from, out, depth + 1); // unknown element: drop it, keep its text
    }
  }
}
