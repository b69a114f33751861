import { renderTelegramHtml } from '../../lib/telegram-html-dom.js';
// Pravo local mode — browser chat that imitates a Telegram private chat.
// Talks only to the same-origin local server (/local/*). No dependencies, no build step.

export const API = {
  info: '/local/info',
  updates: '/local/updates',
  chat: (chatId) => `/local/chats/${encodeURIComponent(chatId)}`,
  wait: (chatId, after) => `/local/chats/${encodeURIComponent(chatId)}/wait?after=${encodeURIComponent(after)}`,
};

export const LANGS = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'];
export const FIRST_USER_ID = 100001;
export const DEFAULT_USERS = [
  { id: 100001, firstName: 'Алишер', lc: 'uz' },
  { id: 100002, firstName: 'Maria', lc: 'ro' },
];
export const LS_USERS = 'pravo.local.users.v1';
export const LS_CURRENT = 'pravo.local.currentUser.v1';
export const RETRY_MS = 2000;
export const TOAST_MS = 3500;

// ---------------------------------------------------------------------------
// DOM
// ---------------------------------------------------------------------------

/**
 * An element of the page by id, with the properties of the controls and dialogs it
 * may be (a missing id is a programming error, caught by the browser test).
 */
export type El = HTMLElement & HTMLInputElement & HTMLTextAreaElement & HTMLSelectElement & HTMLDialogElement & HTMLFormElement;
export const $ = (id: string): El => document.getElementById(id) as El;
export const dom = {
  botAvatar: $('bot-avatar'),
  botName: $('bot-name'),
  botUsername: $('bot-username'),
  conn: $('conn-status'),
  userSelect: $('user-select'),
  addUserBtn: $('add-user-btn'),
  resetViewBtn: $('reset-view-btn'),
  errorBanner: $('error-banner'),
  errorText: $('error-text'),
  errorClose: $('error-close'),
  scroll: $('chat-scroll'),
  messages: $('messages'),
  toast: $('toast'),
  composer: $('composer'),
  input: $('input'),
  attachBtn: $('attach-btn'),
  attachInput: $('attach-input'),
  commands: document.querySelector<HTMLElement>('.commands') as HTMLElement,
  addDialog: $('add-user-dialog'),
  addForm: $('add-user-form'),
  addName: $('new-user-name'),
  addLang: $('new-user-lang'),
  addId: $('new-user-id'),
  addError: $('new-user-error'),
  addCancel: $('add-user-cancel'),
  alertDialog: $('alert-dialog'),
  alertTitle: $('alert-title'),
  alertText: $('alert-text'),
};

export function h(tag: string, className?: string | null, text?: string | number | null): El {
  const el = document.createElement(tag) as El;
  if (className) el.className = className;
  if (text != null) el.textContent = String(text);
  return el;
}

export const sanitizeTelegramHtml = renderTelegramHtml;
