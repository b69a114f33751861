import { botDisplayName, clearError, showError, updateStatusLine } from './banners.js';
import { api } from './http.js';
import { API, LANGS, dom } from './page.js';
import { render, watchScroll } from './render.js';
import { enqueue, postUpdate, pressCallback, randomId, sendFile, sendText, tgFrom } from './send.js';
import { currentUser, state } from './state.js';
import { startPolling } from './sync.js';
import { saveUsers } from './users.js';
import { addUser, autosize, openAddUser, renderUserSelect, resetView, submitComposer, switchUser } from './users-ui.js';

// ---------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------

export function wire() {
  dom.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    submitComposer();
    dom.input.focus();
  });
  dom.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitComposer();
    }
  });
  dom.input.addEventListener('input', autosize);
  dom.attachBtn.addEventListener('click', () => dom.attachInput.click());
  dom.attachInput.addEventListener('change', () => {
    const file = dom.attachInput.files?.[0];
    dom.attachInput.value = '';
    sendFile(file);
  });

  dom.commands.addEventListener('click', (e) => {
    const btn = (e.target as Element).closest<HTMLElement>('[data-command]');
    if (btn) sendText(btn.dataset.command);
  });

  dom.messages.addEventListener('click', (e) => {
    const cmd = (e.target as Element).closest<HTMLElement>('[data-command]');
    if (cmd) {
      sendText(cmd.dataset.command);
      return;
    }
    const cb = (e.target as Element).closest<HTMLElement>('button.kb-btn[data-cb]');
    if (cb) {
      if (!cb.classList.contains('kb-btn--loading')) pressCallback(cb);
      return;
    }
    const spoiler = (e.target as Element).closest<HTMLElement>('.tg-spoiler');
    if (spoiler && !spoiler.classList.contains('tg-spoiler--revealed')) {
      e.preventDefault();
      revealSpoiler(spoiler);
    }
  });
  dom.messages.addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && (e.target as Element).classList?.contains('tg-spoiler')) {
      e.preventDefault();
      revealSpoiler(e.target);
    }
  });

  dom.userSelect.addEventListener('change', () => switchUser(Number(dom.userSelect.value)));
  dom.addUserBtn.addEventListener('click', openAddUser);
  dom.resetViewBtn.addEventListener('click', resetView);
  dom.errorClose.addEventListener('click', () => clearError());

  dom.addCancel.addEventListener('click', () => dom.addDialog.close());
  dom.addForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = dom.addName.value.trim();
    if (!name) {
      dom.addError.textContent = 'Please enter a first name.';
      dom.addName.setAttribute('aria-invalid', 'true');
      dom.addName.focus();
      return;
    }
    const lc = LANGS.includes(dom.addLang.value) ? dom.addLang.value : 'ru';
    dom.addDialog.close();
    addUser(name, lc);
    dom.input.focus();
  });
  dom.addName.addEventListener('input', () => {
    dom.addError.textContent = '';
    dom.addName.removeAttribute('aria-invalid');
  });
}

export function revealSpoiler(el) {
  el.classList.add('tg-spoiler--revealed');
  el.setAttribute('aria-pressed', 'true');
  el.removeAttribute('role');
  el.removeAttribute('tabindex');
  el.removeAttribute('title');
}

export async function loadBotInfo() {
  try {
    const info = await api(API.info);
    const bot = info?.bot;
    if (bot && typeof bot === 'object') {
      state.bot = {
        id: Number(bot.id) || 0,
        username: typeof bot.username === 'string' ? bot.username : '',
        first_name: typeof bot.first_name === 'string' && bot.first_name ? bot.first_name : 'Pravo',
      };
    }
  } catch (err) {
    showError(`Could not load bot info: ${err instanceof Error ? err.message : String(err)}`, 'info');
  }
  const name = botDisplayName();
  dom.botName.textContent = name;
  dom.botAvatar.textContent = Array.from(name)[0]?.toUpperCase() || 'P';
  dom.botUsername.textContent = state.bot.username ? `@${state.bot.username}` : 'local bot';
  // Bot name is part of rendered messages (screen-reader prefix): refresh if it changed.
  render();
}

/**
 * `/?flow=<id>` (the console's "Try this flow"): opens that flow for the current
 * user, as if they had pressed its button. A user who has not agreed yet gets the
 * consent screen first, as in Telegram.
 */
export function openFlowFromUrl() {
  const flow = new URLSearchParams(location.search).get('flow');
  if (!flow || !/^[a-z0-9-]{1,16}$/.test(flow)) return;
  const user = currentUser();
  const update = {
    callback_query: {
      id: randomId(),
      from: tgFrom(user),
      chat_instance: 'local',
      data: `f:${flow}`,
      message: { message_id: 1, date: 0, chat: { id: user.id, type: 'private' } },
    },
  };
  history.replaceState(null, '', location.pathname);
  enqueue(() => postUpdate(user.id, update));
}

export function init() {
  saveUsers();
  renderUserSelect();
  wire();
  watchScroll();
  updateStatusLine();
  render();
  startPolling();
  loadBotInfo();
  openFlowFromUrl();
}

init();
