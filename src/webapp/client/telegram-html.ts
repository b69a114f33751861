/**
 * Shows the bot's Telegram HTML safely (parsed in an inert document, rebuilt from scratch
 * with only the tags Telegram allows; anything else keeps its text and loses its markup),
 * and makes phone numbers tap-to-call.
 */
// The same safe renderer as the console and the simulator (one rule for links, tags and depth).
export { renderTelegramHtml as telegramHtml } from '../../lib/telegram-html-dom.js';

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
