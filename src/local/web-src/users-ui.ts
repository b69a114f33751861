import { clearError } from './banners.js';
import { LANGS, LS_CURRENT, dom } from './page.js';
import { render, rendered } from './render.js';
import { sendText } from './send.js';
import { state } from './state.js';
import { startPolling } from './sync.js';
import { nextFreeUserId, normalizeUser, saveUsers, storageSet } from './users.js';

// ---------------------------------------------------------------------------
// Users UI
// ---------------------------------------------------------------------------

export function renderUserSelect() {
  const sel = dom.userSelect;
  sel.replaceChildren();
  for (const u of state.users) {
    const opt = document.createElement('option');
    opt.value = String(u.id);
    opt.textContent = `${u.firstName} · ${u.lc} · ${u.id}`;
    sel.append(opt);
  }
  sel.value = String(state.currentId);
}

export function resetRendered() {
  rendered.clear();
  dom.messages.replaceChildren();
}

export function switchUser(id) {
  if (!state.users.some((u) => u.id === id)) return;
  state.currentId = id;
  storageSet(LS_CURRENT, String(id));
  dom.userSelect.value = String(id);
  clearError('request');
  resetRendered();
  render();
  startPolling();
}

export function resetView() {
  const chatId = state.currentId;
  state.chats.delete(chatId);
  clearError();
  resetRendered();
  render();
  startPolling();
}

export function openAddUser() {
  dom.addForm.reset();
  dom.addError.textContent = '';
  dom.addName.removeAttribute('aria-invalid');
  dom.addLang.value = 'ru';
  dom.addId.textContent = String(nextFreeUserId());
  if (typeof dom.addDialog.showModal === 'function') {
    dom.addDialog.showModal();
    dom.addName.focus();
  } else {
    // Very old browser: fall back to prompts.
    const name = window.prompt('First name of the new user');
    if (!name?.trim()) return;
    const lc = (window.prompt(`Language code (${LANGS.join(' ')})`, 'ru') || 'ru').trim();
    addUser(name, LANGS.includes(lc) ? lc : 'ru');
  }
}

export function addUser(name, lc) {
  const user = normalizeUser({ id: nextFreeUserId(), firstName: name, lc });
  if (!user) return null;
  state.users.push(user);
  saveUsers();
  renderUserSelect();
  switchUser(user.id);
  return user;
}

// ---------------------------------------------------------------------------
// Composer
// ---------------------------------------------------------------------------

export function autosize() {
  const el = dom.input;
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
}

export function submitComposer() {
  const text = dom.input.value;
  if (!text.trim()) return;
  dom.input.value = '';
  autosize();
  sendText(text);
}
