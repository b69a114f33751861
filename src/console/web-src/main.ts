import { onEditorChange, onEditorInput, saveEditor } from './alert-editor.js';
import { buildRecipientsFilter, loadAlerts, loadRecipients, refreshAlert, scheduleAlertPoll } from './alerts.js';
import { errorText } from './api.js';
import { caseAction, onReplyInput, sendNote, sendReply, translateDraft, updateReplyCount } from './case-actions.js';
import { refreshCase } from './case-view.js';
import { TOKEN_KEY } from './constants.js';
import { loadFlowsPage, reloadFlows } from './flows.js';
import { $, show, t } from './helpers.js';
import { enableNotifications, login, logout, onLoginSubmit } from './login.js';
import { pollTick } from './poll.js';
import { buildFilterSelects, loadQueue, onFilterChange, resetFilters } from './queue.js';
import { route } from './router.js';
import { state } from './state.js';
import { loadStats } from './stats.js';
import { buildTemplateLanguageSelects, loadTemplatesPage, onTemplatePicked, resetTemplateForm, saveTemplate } from './templates.js';
import { applyStaticTexts, clearError, runAction, showError, switchLanguage } from './ui.js';

// ---------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------

export function ctrlEnter(handler) {
  return (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      handler();
    }
  };
}

export function init() {
  applyStaticTexts();
  $('lang-switch').addEventListener('click', switchLanguage);
  $('logout').addEventListener('click', () => logout(t('loggedOut')));
  $('error-dismiss').addEventListener('click', () => clearError());
  $('notice').addEventListener('click', () => show($('notice'), false));
  $('login-form').addEventListener('submit', onLoginSubmit);

  $('filters').addEventListener('change', onFilterChange);
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('filters-reset').addEventListener('click', resetFilters);
  $('queue-refresh').addEventListener('click', (e) => runAction(e.currentTarget, () => Promise.all([loadQueue('refresh'), state.current ? refreshCase() : null])));
  $('load-more').addEventListener('click', () => loadQueue('more'));

  for (const btn of $('case-actions').querySelectorAll<HTMLElement>('[data-action]')) {
    btn.addEventListener('click', () => caseAction(btn.dataset.action, btn));
  }
  $('reply-form').addEventListener('submit', sendReply);
  $('reply-text').addEventListener('input', onReplyInput);
  $('translate-draft').addEventListener('click', (e) => translateDraft(e.currentTarget));
  $('notify-urgent').addEventListener('click', enableNotifications);
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  $('f-q').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(onFilterChange, 350);
  });
  $('reply-text').addEventListener('keydown', ctrlEnter(() => sendReply()));
  $('template-picker').addEventListener('change', onTemplatePicked);
  $('note-form').addEventListener('submit', sendNote);
  $('note-text').addEventListener('keydown', ctrlEnter(() => sendNote()));

  $('tpl-filter').addEventListener('change', loadTemplatesPage);
  $('template-form').addEventListener('submit', saveTemplate);
  $('tpl-cancel').addEventListener('click', resetTemplateForm);
  $('stats-refresh').addEventListener('click', (e) => runAction(e.currentTarget, () => loadStats()));

  $('alerts-refresh').addEventListener('click', (e) => runAction(e.currentTarget, () => Promise.all([loadAlerts(), state.alerts.current ? refreshAlert() : null])));
  $('alert-editor').addEventListener('submit', saveEditor);
  $('alert-editor').addEventListener('input', onEditorInput);
  $('alert-editor').addEventListener('change', onEditorChange);
  $('recipients-filter').addEventListener('change', () => {
    state.alerts.recipients.status = $('recipients-filter').value;
    loadRecipients();
  });
  $('alert-recipients').addEventListener('toggle', () => {
    if ($('alert-recipients').open) loadRecipients();
  });
  $('flows-reload').addEventListener('click', (e) => reloadFlows(e.currentTarget));
  $('flows-refresh').addEventListener('click', (e) => runAction(e.currentTarget, () => loadFlowsPage({ force: true })));

  window.addEventListener('hashchange', route);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      clearTimeout(state.pollTimer);
      clearTimeout(state.alerts.pollTimer);
    } else if (state.me) {
      pollTick();
      scheduleAlertPoll();
    }
  });

  buildFilterSelects();
  buildTemplateLanguageSelects();
  buildRecipientsFilter();
  updateReplyCount();

  if (state.token) {
    login(state.token).catch((e) => {
      state.token = null;
      state.me = null;
      sessionStorage.removeItem(TOKEN_KEY);
      show($('login-view'), true);
      showError(e.status === 401 ? t('sessionEnded', { msg: e.message }) : errorText(e), 'session');
    });
  } else {
    show($('login-view'), true);
    $('login-token').focus();
  }
}

init();
