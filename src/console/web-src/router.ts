import type { Route } from './state.js';
import { loadAlerts, openAlertRoute, renderAlertList } from './alerts.js';
import { closeCaseView, openCase } from './case-view.js';
import { loadFlowsPage } from './flows.js';
import { $, canWork, show, t } from './helpers.js';
import { loadQueue, renderQueue } from './queue.js';
import { state } from './state.js';
import { loadStats } from './stats.js';
import { loadTemplatesPage } from './templates.js';
import { clearError, notify } from './ui.js';

// ---------------------------------------------------------------------------
// Routing: #/queue, #/case/12, #/templates, #/stats, #/alerts, #/alerts/new,
// #/alerts/12, #/alerts/12/edit, #/alerts/12/correct, #/flows
// ---------------------------------------------------------------------------

export function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const base = { caseId: null, alertId: null, alertMode: null };
  const m = /^case\/(\d+)$/.exec(hash);
  if (m) return { ...base, page: 'queue', caseId: Number(m[1]) };
  if (hash === 'templates') return { ...base, page: 'templates' };
  if (hash === 'stats') return { ...base, page: 'stats' };
  if (hash === 'flows') return { ...base, page: 'flows' };
  if (hash === 'alerts') return { ...base, page: 'alerts' };
  if (hash === 'alerts/new') return { ...base, page: 'alerts', alertMode: 'new' };
  const a = /^alerts\/(\d+)(?:\/(edit|correct))?$/.exec(hash);
  if (a) return { ...base, page: 'alerts', alertId: Number(a[1]), alertMode: a[2] ?? 'view' };
  return { ...base, page: 'queue', explicit: hash !== '' };
}

export function route() {
  if (!state.me) return;
  let r: Route = parseHash();
  if (!canWork() && (r.page === 'queue' || r.page === 'templates')) {
    // Staff: alerts are their work; the queue and templates are for lawyers.
    if (r.page === 'templates' || r.caseId !== null || r.explicit) notify(t('staffNoQueue'));
    r = { page: 'alerts', caseId: null, alertId: null, alertMode: null };
    history.replaceState(null, '', '#/alerts');
  }
  const prevCase = state.current?.id ?? null;
  // Moving elsewhere is a new action: an old error would only confuse.
  const prevRoute = state.route;
  if (r.page !== prevRoute.page || r.caseId !== prevCase || r.alertId !== prevRoute.alertId || r.alertMode !== prevRoute.alertMode) clearError('action');
  state.route = r;
  show($('queue-page'), r.page === 'queue');
  show($('templates-page'), r.page === 'templates');
  show($('stats-page'), r.page === 'stats');
  show($('alerts-page'), r.page === 'alerts');
  show($('flows-page'), r.page === 'flows');
  if (r.page !== 'alerts') clearTimeout(state.alerts.pollTimer);
  for (const a of document.querySelectorAll<HTMLElement>('.mainnav a')) {
    if (a.dataset.nav === r.page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.body.dataset.page = r.page;
  document.body.classList.toggle('has-case', (r.page === 'queue' && r.caseId !== null) || (r.page === 'alerts' && r.alertMode !== null));

  if (r.page === 'queue') {
    if (!state.queue.loaded) loadQueue();
    if (r.caseId !== null && r.caseId !== prevCase) openCase(r.caseId);
    else if (r.caseId === null && prevCase !== null) closeCaseView();
    else if (r.caseId === null) {
      show($('case-view'), false);
      show($('case-placeholder'), true);
    }
    state.queue.sig = '';
    renderQueue();
  } else if (r.page === 'templates') {
    loadTemplatesPage();
  } else if (r.page === 'stats') {
    loadStats();
  } else if (r.page === 'alerts') {
    if (!state.alerts.loaded) loadAlerts();
    else renderAlertList();
    openAlertRoute(r);
  } else if (r.page === 'flows') {
    loadFlowsPage();
  }
}
