import type { Me } from './api-types.js';
import { isAlertAuthor } from './alerts.js';
import { api } from './api.js';
import { TOKEN_KEY } from './constants.js';
import { detectLocalMode } from './flows.js';
import { $, canWork, label, languageText, show, t } from './helpers.js';
import { schedulePoll } from './poll.js';
import { buildFilterSelects } from './queue.js';
import { route } from './router.js';
import { newAlertsState, state } from './state.js';
import { buildTemplateLanguageSelects } from './templates.js';
import { clearError, notify, showError, updateTitle } from './ui.js';

// ---------------------------------------------------------------------------
// Login / logout
// ---------------------------------------------------------------------------

export function renderWhoami() {
  const el = $('whoami');
  if (!state.me) {
    el.textContent = '';
    show(el, false);
    return;
  }
  el.textContent = t('whoami', { name: state.me.name, role: label('role', state.me.role) });
  show(el, true);
}

/** Names of the NGO's staff, so the console says "Anna K." instead of an id. */
export async function loadStaffNames() {
  try {
    state.staffNames = new Map((await api('/staff')).map((s) => [s.id, s.name]));
  } catch {
    state.staffNames = new Map();
  }
}

export function staffName(id) {
  if (id === null || id === undefined) return '?';
  return state.staffNames?.get(id) ?? `#${id}`;
}

export async function login(token) {
  state.token = token;
  const me = await api<Me>('/me');
  state.me = me;
  await loadStaffNames();
  sessionStorage.setItem(TOKEN_KEY, token);
  state.knownCaseIds.clear();
  state.newCaseIds.clear();
  afterLogin();
}

/** A desktop notification of a new urgent case (number and language only: no personal text). */
export function notifyUrgent(c) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(t('urgentNotification', { id: c.id }), { body: t('urgentNotificationBody', { lang: languageText(c.language) }), tag: `pravo-case-${c.id}` });
    n.onclick = () => {
      window.focus();
      location.hash = `#/case/${c.id}`;
    };
  } catch {}
}

export function renderNotifyButton() {
  const supported = 'Notification' in window;
  show($('notify-urgent'), supported && canWork() && Notification.permission === 'default');
}

export async function enableNotifications() {
  const result = await Notification.requestPermission();
  notify(result === 'granted' ? t('notifyOn') : t('notifyDenied'));
  renderNotifyButton();
}

export function afterLogin() {
  show($('login-view'), false);
  show(document.querySelector<HTMLElement>('.mainnav'), true);
  show($('logout'), true);
  for (const el of document.querySelectorAll<HTMLElement>('[data-nav="queue"], [data-nav="templates"]')) show(el, canWork());
  show($('alert-new'), isAlertAuthor());
  renderWhoami();
  renderNotifyButton();
  detectLocalMode();
  buildFilterSelects();
  buildTemplateLanguageSelects();
  route();
  schedulePoll();
}

export function logout(message, isError = false) {
  clearTimeout(state.pollTimer);
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.me = null;
  state.current = null;
  state.queue = { items: [], nextCursor: undefined, loaded: false, loading: false, seq: state.queue.seq + 1, sig: '' };
  state.knownCaseIds.clear();
  state.newCaseIds.clear();
  state.seenMessage.clear();
  state.drafts.clear();
  state.templatesByLang.clear();
  state.templates = { items: [], editingId: null, confirmingId: null };
  state.stats = null;
  state.statsSig = '';
  clearTimeout(state.alerts.pollTimer);
  clearTimeout(state.alerts.editor?.audTimer);
  state.alerts = newAlertsState();
  state.flows.items = [];
  state.flows.loaded = false;
  state.local = null;
  state.localCheck = null;
  // Remove personal data from the page.
  $('queue').replaceChildren();
  $('case-summary').textContent = '';
  $('case-thread').replaceChildren();
  $('case-notes').replaceChildren();
  $('case-context').replaceChildren();
  $('reply-text').value = '';
  $('note-text').value = '';
  $('template-list').replaceChildren();
  $('stats').replaceChildren();
  $('alert-list').replaceChildren();
  $('alert-editor').replaceChildren();
  $('recipients-body').replaceChildren();
  for (const id of ['alert-meta', 'alert-actions', 'alert-progress-body', 'alert-texts', 'alert-audience']) $(id).replaceChildren();
  $('flow-cards').replaceChildren();
  show($('alert-view'), false);
  show($('alert-editor'), false);
  show($('flows-reload-result'), false);
  show($('case-view'), false);
  show($('case-placeholder'), true);
  for (const id of ['queue-page', 'templates-page', 'stats-page', 'alerts-page', 'flows-page']) show($(id), false);
  show(document.querySelector<HTMLElement>('.mainnav'), false);
  show($('logout'), false);
  renderWhoami();
  updateTitle();
  show($('login-view'), true);
  clearError();
  if (message) {
    if (isError) showError(message, 'session');
    else notify(message);
  }
  $('login-token').value = '';
  $('login-token').focus();
}

export async function onLoginSubmit(e) {
  e.preventDefault();
  const input = $('login-token');
  const token = input.value.trim();
  clearError();
  if (!token) {
    showError(t('loginEmpty'));
    input.focus();
    return;
  }
  const btn = $('login-submit');
  btn.disabled = true;
  btn.dataset.busy = 'true';
  btn.textContent = t('loginChecking');
  try {
    await login(token);
    input.value = '';
  } catch (err) {
    state.token = null;
    state.me = null;
    showError(err);
    input.focus();
    input.select();
  } finally {
    btn.disabled = false;
    btn.dataset.busy = 'false';
    btn.textContent = t('loginSubmit');
  }
}
