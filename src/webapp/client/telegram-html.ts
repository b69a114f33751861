/**
 * Shows the bot's Telegram HTML safely: the text is parsed in an inert document and
 * rebuilt from scratch with only the tags Telegram allows; links only to http(s)
 * and tel:. Anything else keeps its text and loses its markup.
 */
const ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'blockquote']);
const SAFE_HREF = /^(?:https?:\/\/|tel:)/i;
const MAX_DEPTH = 32;

export function telegramHtml(html: string): DocumentFragment {
  const out = document.createDocumentFragment();
  if (!html) return out;
  const doc = new DOMParser().parseFromString(`<!DOCTYPE html><body>${html}`, 'text/html');
  copy(doc.body, out, 0);
  return out;
}

function copy(src: Node, out: Node, depth: number): void {
  for (const node of Array.from(src.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      out.appendChild(document.createTextNode((node as Text).data));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const el = node as Element;
    const tag = el.localName;
    if (depth >= MAX_DEPTH) {
      out.appendChild(document.createTextNode(el.textContent ?? ''));
      continue;
    }
    if (tag === 'br') {
      out.appendChild(document.createElement('br'));
      continue;
    }
    let made: HTMLElement | null = null;
    if (ALLOWED.has(tag)) made = document.createElement(tag);
    else if (tag === 'a') {
      const href = (el.getAttribute('href') ?? '').trim();
      if (SAFE_HREF.test(href)) {
        const a = document.createElement('a');
        a.href = href;
        a.rel = 'noopener noreferrer';
        a.target = '_blank';
        made = a;
      }
    }
    if (made) {
      copy(el, made, depth + 1);
      out.appendChild(made);
    } else copy(el, out, depth + 1);
  }
}

/** Phone numbers in a text become tap-to-call links (a detained person should not copy digits). */
export function linkPhones(root: Node): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  while (walker.nextNode()) texts.push(walker.currentNode as Text);
  const phone = /\+?\d[\d\s()-]{7,}\d/g;
  for (const t of texts) {
    if (t.parentElement?.closest('a')) continue;
    const parts = t.data.split(phone);
    const matches = t.data.match(phone);
    if (!matches) continue;
    const frag = document.createDocumentFragment();
    parts.forEach((p, i) => {
      frag.append(p);
      const m = matches[i];
      if (m) {
        const a = document.createElement('a');
        a.href = `tel:${m.replace(/[^\d+]/g, '')}`;
        a.textContent = m;
        frag.append(a);
      }
    });
    t.replaceWith(frag);
  }
}
