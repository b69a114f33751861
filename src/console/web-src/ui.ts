import { rerenderAlertsPage } from './alert-editor.js';
import { errorText } from './api.js';
import { updateReplyCount } from './case-actions.js';
import { renderCase, updateFormsEnabled } from './case-view.js';
import { LANG_KEY } from './constants.js';
import { renderFlows } from './flows.js';
import { $, h, show, t } from './helpers.js';
import { renderWhoami } from './login.js';
import { buildFilterSelects, renderQueue } from './queue.js';
import { state } from './state.js';
import { renderStats } from './stats.js';
import { buildTemplateLanguageSelects, renderTemplates } from './templates.js';

// ---------------------------------------------------------------------------
// Banners
// ---------------------------------------------------------------------------

export function showError(errOrText, source = 'action') {
  const msg = typeof errOrText === 'string' ? errOrText : errorText(errOrText);
  $('error-text').textContent = msg;
  show($('error-banner'), true);
  state.errorSource = source;
}

export function clearError(source?: string) {
  if (source && state.errorSource !== source) return;
  show($('error-banner'), false);
  $('error-text').textContent = '';
  state.errorSource = null;
}

export function notify(msg) {
  const n = $('notice');
  n.textContent = msg;
  show(n, true);
  clearTimeout(state.noticeTimer);
  state.noticeTimer = setTimeout(() => show(n, false), 5000);
}

export function announce(msg) {
  const live = $('live');
  live.textContent = '';
  setTimeout(() => {
    live.textContent = msg;
  }, 50);
}

/** Runs a user action: clears the old error, shows a new one, disables the button meanwhile. */
export async function runAction(button, fn) {
  clearError();
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    return await fn();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    if (button) {
      button.removeAttribute('aria-busy');
      button.disabled = false;
      // Re-apply the state-driven disabled flags (reply box etc.).
      if (state.current?.data) updateFormsEnabled(state.current.data.case);
    }
  }
}

// ---------------------------------------------------------------------------
// Static labels and language switch
// ---------------------------------------------------------------------------

export function applyStaticTexts() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  const sw = $('lang-switch');
  sw.textContent = t('langSwitch');
  sw.setAttribute('lang', state.lang === 'ru' ? 'en' : 'ru');
  sw.setAttribute('aria-label', t('langSwitchLabel'));
  updateTitle();
  renderWhoami();
}

export function updateTitle() {
  const n = state.newCaseIds.size;
  document.title = (n ? `(${n}) ` : '') + t('appTitle');
  const link = document.querySelector<HTMLElement>('[data-nav="queue"]');
  if (link) {
    link.textContent = t('navQueue');
    if (n) link.append(' ', h('span', { class: 'nav-count', 'aria-label': t('newCasesLive', { n }) }, String(n)));
  }
}

export function switchLanguage() {
  state.lang = state.lang === 'ru' ? 'en' : 'ru';
  show($('notice'), false);
  $('live').textContent = '';
  try {
    localStorage.setItem(LANG_KEY, state.lang);
  } catch {}
  applyStaticTexts();
  buildFilterSelects();
  buildTemplateLanguageSelects();
  state.queue.sig = '';
  renderQueue();
  if (state.current?.data) {
    state.current.sig = '';
    renderCase();
  }
  renderTemplates();
  renderStats();
  updateReplyCount();
  rerenderAlertsPage();
  renderFlows();
  if ($('login-submit').dataset.busy !== 'true') $('login-submit').textContent = t('loginSubmit');
}
