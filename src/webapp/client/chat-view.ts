/**
 * The conversation: the bot's messages with their buttons, the visitor's own, and
 * the box to write in. Messages are kept by id and updated in place, so a screen
 * reader hears only what is new.
 */
import type { WebMessage } from './api.js';
import { h } from './h.js';
import { t } from './i18n.js';
import { telegramHtml } from './telegram-html.js';

export interface ChatHandlers {
  send(text: string): Promise<boolean>;
  press(messageId: number, data: string): Promise<void>;
}

export function createChatView(handlers: ChatHandlers) {
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t('chat') });
  const elements = new Map<number, HTMLElement>();
  const input = h('textarea', { id: 'input', rows: 1, maxlength: 4096, enterkeyhint: 'send', 'aria-label': t('message-label'), placeholder: t('message-label') });
  const sendBtn = h('button', { type: 'submit', class: 'send' }, t('send'));
  const form = h('form', { class: 'composer' }, input, sendBtn);

  const submit = async () => {
    const text = input.value;
    if (!text.trim() || sendBtn.disabled) return;
    sendBtn.disabled = true;
    try {
      if (await handlers.send(text)) input.value = '';
    } finally {
      sendBtn.disabled = false;
      input.focus();
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    }
  });

  function render(m: WebMessage): HTMLElement {
    const body = h('div', { class: 'bubble' }, telegramHtml(m.html));
    const el = h('article', { class: `msg msg--${m.from}`, 'data-id': m.id }, body);
    if (m.buttons.length) {
      const kb = h('div', { class: 'kb' });
      for (const row of m.buttons) {
        const r = h('div', { class: 'kb-row' });
        for (const b of row) {
          if (b.url) r.append(h('a', { class: 'kb-btn', href: b.url, target: '_blank', rel: 'noopener noreferrer' }, b.text));
          else if (b.callback_data !== undefined) {
            const data = b.callback_data;
            const btn = h('button', { type: 'button', class: 'kb-btn', 'data-cb': data }, b.text);
            btn.addEventListener('click', async () => {
              for (const other of Array.from(kb.querySelectorAll('button'))) other.disabled = true;
              try {
                await handlers.press(m.id, data);
              } finally {
                for (const other of Array.from(kb.querySelectorAll('button'))) other.disabled = false;
              }
            });
            r.append(btn);
          }
        }
        kb.append(r);
      }
      el.append(kb);
    }
    return el;
  }

  return {
    element: h('div', { class: 'chat-view' }, log, form),
    focus: () => input.focus(),
    /** Applies new, edited and deleted messages. */
    apply(messages: WebMessage[]) {
      const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
      for (const m of messages) {
        const old = elements.get(m.id);
        if (m.deleted) {
          old?.remove();
          elements.delete(m.id);
          continue;
        }
        const fresh = render(m);
        if (old) old.replaceWith(fresh);
        else {
          // Keep id order (an edit of an old message comes with a new revision, not a new id).
          const next = [...elements.entries()].find(([id]) => id > m.id)?.[1];
          log.insertBefore(fresh, next ?? null);
        }
        elements.set(m.id, fresh);
      }
      if (nearBottom || messages.some((m) => m.from === 'user')) log.scrollTop = log.scrollHeight;
    },
    clear() {
      elements.clear();
      log.replaceChildren();
    },
  };
}
