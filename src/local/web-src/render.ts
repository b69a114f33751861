import { safeTelegramHref } from '../../lib/telegram-html.js';
import { botDisplayName } from './banners.js';
import { dom, h, sanitizeTelegramHtml } from './page.js';
import { getChat, getPending, state } from './state.js';

// ---------------------------------------------------------------------------
// Rendering (keyed: only changed items are rebuilt)
// ---------------------------------------------------------------------------

/** key -> { sig, el } */
export const rendered = new Map<string, { sig: string; el: HTMLElement }>();

export const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
export const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' });
export const dayFmtYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

export function dayKey(d) {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function dayLabel(d) {
  const now = new Date();
  if (dayKey(d) === dayKey(now)) return 'Today';
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (dayKey(d) === dayKey(y)) return 'Yesterday';
  return d.getFullYear() === now.getFullYear() ? dayFmt.format(d) : dayFmtYear.format(d);
}

export function normalizeMessage(m) {
  if (!m || typeof m !== 'object') return null;
  const id = Number(m.id);
  if (!Number.isFinite(id)) return null;
  return {
    id,
    from: m.from === 'user' ? 'user' : 'bot',
    html: typeof m.html === 'string' ? m.html : '',
    date: Number.isFinite(Number(m.date)) ? Number(m.date) : 0,
    edited: Boolean(m.edited),
    buttons: Array.isArray(m.buttons) ? m.buttons.filter(Array.isArray) : [],
    document:
      m.document && typeof m.document.fileId === 'string'
        ? { fileId: m.document.fileId, fileName: String(m.document.fileName ?? 'file'), size: Number(m.document.size) || 0 }
        : undefined,
  };
}

export function buildItems() {
  const chatId = state.currentId;
  const chat = getChat(chatId);
  const items: { key: string; sig: string; build: () => HTMLElement }[] = [];
  if (!chat.loaded) {
    items.push({ key: 'loading', sig: 'loading', build: buildLoading });
    return items;
  }
  let lastDay = '';
  const botName = botDisplayName();
  const seen = new Set();
  for (const m of chat.messages) {
    if (seen.has(m.id)) continue; // defensive: keys must be unique
    seen.add(m.id);
    if (m.date > 0) {
      const d = new Date(m.date * 1000);
      const k = dayKey(d);
      if (k !== lastDay) {
        lastDay = k;
        const label = dayLabel(d);
        items.push({ key: `day:${k}`, sig: label, build: () => buildDay(label) });
      }
    }
    const sig = JSON.stringify([m.from, m.html, m.date, m.edited, m.buttons, m.document?.fileId ?? '', m.from === 'bot' ? botName : '']);
    items.push({ key: `m:${m.id}`, sig, build: () => buildMessage(m) });
  }
  for (const p of getPending(chatId)) {
    items.push({ key: p.key, sig: 'pending', build: () => buildPending(p) });
  }
  if (items.length === 0) items.push({ key: 'hint', sig: 'hint', build: buildHint });
  return items;
}

/** quiet: rebuild without announcing every message to screen readers (initial load, user switch). */
export function render({ quiet = false } = {}) {
  const items = buildItems();
  const list = dom.messages;
  if (quiet) {
    list.setAttribute('aria-live', 'off');
    setTimeout(() => list.setAttribute('aria-live', 'polite'), 0);
  }
  const keep = new Set();
  let changed = false;
  let refocus: { key: string | null; kb?: string } | null = null;

  items.forEach((item, i) => {
    keep.add(item.key);
    let entry = rendered.get(item.key);
    if (!entry || entry.sig !== item.sig) {
      const el = item.build();
      el.dataset.key = item.key;
      if (entry) {
        if (entry.el.contains(document.activeElement)) refocus = { key: item.key, kb: (document.activeElement as HTMLElement | null)?.dataset?.kb };
        entry.el.replaceWith(el);
      }
      entry = { sig: item.sig, el };
      rendered.set(item.key, entry);
      changed = true;
    }
    const at = list.children[i];
    if (at !== entry.el) {
      list.insertBefore(entry.el, at || null);
      changed = true;
    }
  });
  for (const [key, entry] of rendered) {
    if (!keep.has(key)) {
      if (entry.el.contains(document.activeElement)) refocus = refocus || { key: null };
      entry.el.remove();
      rendered.delete(key);
      changed = true;
    }
  }

  if (refocus) {
    // A message that held focus was rebuilt (e.g. its keyboard was edited): keep focus nearby.
    const entry = refocus.key ? rendered.get(refocus.key) : null;
    const target = (entry && refocus.kb && entry.el.querySelector<HTMLElement>(`[data-kb="${CSS.escape(refocus.kb)}"]`))
      || entry?.el.querySelector<HTMLElement>('.kb-btn')
      || dom.scroll;
    target.focus({ preventScroll: true });
  }
  if (changed) scrollToBottom();
}

// Stay pinned to the newest message while the layout changes size (header reflow,
// on-screen keyboard, window resize), unless the user scrolled up to read.
export let stickToBottom = true;

export function scrollToBottom() {
  const sc = dom.scroll;
  sc.scrollTop = sc.scrollHeight;
  stickToBottom = true;
}

export function watchScroll() {
  const sc = dom.scroll;
  sc.addEventListener('scroll', () => {
    stickToBottom = sc.scrollHeight - sc.scrollTop - sc.clientHeight < 48;
  }, { passive: true });
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver(() => {
      if (stickToBottom) sc.scrollTop = sc.scrollHeight;
    });
    ro.observe(sc);
    ro.observe(dom.messages);
  }
}

export function buildLoading() {
  const el = h('div', 'service service--loading');
  el.append(h('span', 'service__pill', 'Loading chat…'));
  return el;
}

export function buildDay(label) {
  const el = h('div', 'service service--day');
  el.append(h('span', 'service__pill', label));
  return el;
}

export function buildHint() {
  const el = h('div', 'hint');
  const card = h('div', 'hint__card');
  const en = h('p', 'hint__line');
  en.lang = 'en';
  en.append('Press ', h('strong', null, '/start'), ' to begin');
  const ru = h('p', 'hint__line');
  ru.lang = 'ru';
  ru.append('Нажмите ', h('strong', null, '/start'), ', чтобы начать');
  const btn = h('button', 'btn btn--primary hint__btn', '/start');
  btn.setAttribute('type', 'button');
  btn.dataset.command = '/start';
  card.append(en, ru, btn);
  el.append(card);
  return el;
}

export function buildMeta(date, edited, pending) {
  const meta = h('span', 'meta');
  if (edited) meta.append(h('span', 'meta__edited', 'edited'));
  if (date > 0) {
    const d = new Date(date * 1000);
    const t = h('time', 'meta__time', timeFmt.format(d));
    t.dateTime = d.toISOString();
    meta.append(t);
  }
  if (pending) {
    const p = h('span', 'meta__pending', '🕓');
    p.setAttribute('role', 'img');
    p.setAttribute('aria-label', 'sending');
    meta.append(p);
  }
  return meta;
}

export function buildMessage(m) {
  const isUser = m.from === 'user';
  const row = h('div', `msg ${isUser ? 'msg--user' : 'msg--bot'}`);
  row.dataset.msgId = String(m.id);
  const col = h('div', 'msg__col');
  const bubble = h('div', 'bubble');
  bubble.append(h('span', 'visually-hidden', isUser ? 'You: ' : `${botDisplayName()}: `));
  if (m.document) bubble.append(buildDocument(m.document));
  const text = h('div', 'bubble__text');
  text.append(sanitizeTelegramHtml(m.html));
  bubble.append(text, buildMeta(m.date, m.edited, false));
  col.append(bubble);
  if (m.buttons.length) {
    col.classList.add('msg__col--kb');
    col.append(buildKeyboard(m));
  }
  row.append(col);
  return row;
}

/** A file the bot sent: its name and size, opening the file (a PDF in the browser's viewer). */
export function buildDocument(doc: { fileId: string; fileName: string; size: number }) {
  const link = h('a', 'bubble__document', `📄 ${doc.fileName}`);
  link.setAttribute('href', `/local/files/${encodeURIComponent(doc.fileId)}`);
  link.setAttribute('target', '_blank');
  link.setAttribute('rel', 'noopener');
  const size = h('span', 'bubble__document-size', ` · ${Math.max(1, Math.round(doc.size / 1024))} KB`);
  const box = h('div', 'bubble__file');
  box.append(link, size);
  return box;
}

export function buildPending(p) {
  const row = h('div', 'msg msg--user msg--pending');
  // Announced once, when the server confirms it; the pending copy is only visual.
  row.setAttribute('aria-hidden', 'true');
  const col = h('div', 'msg__col');
  const bubble = h('div', 'bubble');
  const text = h('div', 'bubble__text');
  text.textContent = p.text;
  bubble.append(text, buildMeta(p.date, false, true));
  col.append(bubble);
  row.append(col);
  return row;
}

export function buildKeyboard(m) {
  const kb = h('div', 'keyboard');
  kb.setAttribute('role', 'group');
  kb.setAttribute('aria-label', 'Message buttons');
  m.buttons.forEach((row, r) => {
    if (!row.length) return;
    const rowEl = h('div', 'kb-row');
    row.forEach((b, c) => {
      if (!b || typeof b !== 'object') return;
      const label = typeof b.text === 'string' ? b.text : '';
      let el: any;
      if (typeof b.url === 'string') {
        const href = safeTelegramHref(b.url);
        if (href) {
          el = h('a', 'kb-btn kb-btn--url');
          el.href = href;
          el.target = '_blank';
          el.rel = 'noopener noreferrer';
          el.append(h('span', 'kb-btn__text', label), h('span', 'kb-btn__icon', '↗'));
          el.lastChild.setAttribute('aria-hidden', 'true');
          el.title = href;
        }
      } else if (typeof b.callback_data === 'string') {
        el = h('button', 'kb-btn');
        el.type = 'button';
        el.dataset.cb = b.callback_data;
        el.append(h('span', 'kb-btn__text', label));
      }
      if (!el) {
        el = h('button', 'kb-btn kb-btn--unsupported');
        el.type = 'button';
        el.disabled = true;
        el.title = 'This kind of button is not supported in local mode';
        el.append(h('span', 'kb-btn__text', label));
      }
      el.dataset.kb = `${r}:${c}`;
      rowEl.append(el);
    });
    kb.append(rowEl);
  });
  return kb;
}
