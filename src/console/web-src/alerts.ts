import { closeEditor, openEditor } from './alert-editor.js';
import { api, errorText } from './api.js';
import { confirmAction } from './case-actions.js';
import { ALERT_AUTHORS, ALERT_POLL_MS, ALERT_REVIEWERS, ALERT_STEPS, LANGUAGES, RECIPIENT_STATUSES, RECIPIENTS_MAX } from './constants.js';
import { $, ago, formatDateTime, formatDuration, h, intl, label, languageText, locale, show, t, type El } from './helpers.js';
import { staffName } from './login.js';
import { option } from './queue.js';
import { state } from './state.js';
import { plainText, telegramPreview } from './telegram-preview.js';
import { announce, clearError, notify, runAction, showError } from './ui.js';

// ---------------------------------------------------------------------------
// Alerts: list, alert view, editor, progress, recipients
// ---------------------------------------------------------------------------

export function isAlertAuthor() {
  return !!state.me && ALERT_AUTHORS.includes(state.me.role);
}

export function isAlertReviewer() {
  return !!state.me && ALERT_REVIEWERS.includes(state.me.role);
}

export function staffText(id) {
  if (id === null || id === undefined) return t('none');
  return state.me && id === state.me.id ? t('staffMe') : t('staffOther', { id: staffName(id) });
}

export function alertStatusBadge(status, testid?: string) {
  return h('span', { class: `badge badge-status astatus-${status}`, 'data-testid': testid ?? null, 'data-status': status }, label('astatus', status));
}

export function showAlertPlaceholder(text) {
  show($('alert-view'), false);
  show($('alert-editor'), false);
  const p = $('alert-placeholder');
  p.textContent = text;
  show(p, true);
}

export function alertViewVisible(cur) {
  const r = state.route;
  return r.page === 'alerts' && r.alertMode === 'view' && r.alertId === cur?.id;
}

export async function loadAlerts({ quiet = false } = {}) {
  const A = state.alerts;
  const seq = ++A.seq;
  try {
    const list = await api('/alerts');
    if (seq !== A.seq || !state.me) return;
    A.items = list;
    A.loaded = true;
    renderAlertList();
    // Someone else approved, edited or sent the open alert: show it.
    const cur = A.current;
    if (cur?.data) {
      const item = list.find((x) => x.id === cur.id);
      if (item && JSON.stringify(item) !== JSON.stringify(cur.data.alert)) refreshAlert({ poll: true });
    }
    if (quiet) clearError('poll');
  } catch (e) {
    if (seq === A.seq) showError(e, quiet ? 'poll' : 'action');
  }
}

export function renderAlertList() {
  const A = state.alerts;
  $('alerts-hint').textContent = state.me ? t(isAlertAuthor() ? 'alertsHintAuthor' : 'alertsHintReviewer') : '';
  const sig = JSON.stringify([A.items, state.route.alertId, state.lang, state.me?.id, Math.floor(Date.now() / 60000)]);
  if (sig === A.sig) return;
  A.sig = sig;
  const list = $('alert-list');
  const focusedId = document.activeElement?.closest?.<HTMLElement>('[data-testid="alert-item"]')?.dataset.alertId;
  list.replaceChildren(...A.items.map(alertItem));
  if (focusedId) list.querySelector<HTMLElement>(`[data-alert-id="${CSS.escape(focusedId)}"] a`)?.focus();
  show($('alerts-empty'), A.loaded && A.items.length === 0);
}

export function alertItem(a) {
  const current = state.route.alertId === a.id;
  const awaiting = a.status === 'draft' && isAlertReviewer() && a.createdBy !== state.me?.id;
  const classes = ['queue-item', 'alert-item', `astatus-${a.status}`];
  if (current) classes.push('is-current');
  if (awaiting) classes.push('awaiting');
  const upcoming = a.startAt && ['draft', 'approved', 'scheduled'].includes(a.status);
  return h(
    'li',
    { class: classes.join(' '), 'data-testid': 'alert-item', 'data-alert-id': a.id, 'data-status': a.status },
    h(
      'a',
      { href: `#/alerts/${a.id}`, class: 'qi-link', 'aria-current': current ? 'true' : null },
      h(
        'span',
        { class: 'qi-top' },
        h('span', { class: 'qi-id' }, `#${a.id}`),
        alertStatusBadge(a.status),
        awaiting ? h('span', { class: 'badge badge-await' }, t('awaitingYou')) : null,
      ),
      h('span', { class: 'qi-snippet', lang: 'ru', dir: 'auto' }, plainText(a.texts.ru) || t('alertNoText')),
      h(
        'span',
        { class: 'qi-bottom' },
        Object.keys(a.texts).map((l) => h('span', { class: 'badge badge-lang', title: languageText(l) }, l.toUpperCase())),
        upcoming ? h('span', { class: 'qi-assignee' }, t('alertScheduledFor', { when: formatDateTime(a.startAt) })) : null,
        h('time', { class: 'qi-age', datetime: a.createdAt, title: formatDateTime(a.createdAt) }, ago(a.createdAt)),
      ),
    ),
  );
}

/** Shows what the hash asks for on the alerts page. */
export async function openAlertRoute(r) {
  const A = state.alerts;
  const mode = r.alertMode;
  if (mode === null) {
    closeEditor();
    clearTimeout(A.pollTimer);
    A.current = null;
    renderAlertList();
    showAlertPlaceholder(t(isAlertAuthor() ? 'pickAlertAuthor' : 'pickAlert'));
    return;
  }
  if (mode === 'new') {
    if (!isAlertAuthor()) {
      location.replace('#/alerts');
      return;
    }
    clearTimeout(A.pollTimer);
    A.current = null;
    renderAlertList();
    openEditor('new', null);
    return;
  }
  const id = r.alertId;
  if (mode === 'view') {
    closeEditor();
    if (A.current?.id === id && A.current.data) {
      A.current.sig = '';
      A.current.progressSig = '';
      renderAlert();
      refreshAlert();
    } else {
      await openAlert(id);
    }
    return;
  }
  // edit / correct
  if (!isAlertAuthor()) {
    location.replace(`#/alerts/${id}`);
    return;
  }
  closeEditor();
  if (A.current?.id !== id) {
    clearTimeout(A.pollTimer);
    A.current = { id, data: null, sig: '', progressSig: '', seq: 0, audience: null };
    renderAlertList();
  }
  showAlertPlaceholder(t('loading'));
  const ok = await refreshAlert();
  const now = state.route;
  if (now.page !== 'alerts' || now.alertId !== id || now.alertMode !== mode) return;
  if (!ok) return;
  const a = A.current.data.alert;
  const allowed = mode === 'edit' ? ['draft', 'approved'].includes(a.status) : ['sending', 'done', 'cancelled'].includes(a.status);
  if (!allowed) {
    location.replace(`#/alerts/${id}`);
    return;
  }
  openEditor(mode, a);
}

export async function openAlert(id) {
  const A = state.alerts;
  clearTimeout(A.pollTimer);
  A.current = { id, data: null, sig: '', progressSig: '', seq: 0, audience: null };
  A.recipients = { status: A.recipients.status, seq: A.recipients.seq + 1, sig: '', rows: undefined };
  $('alert-recipients').open = false;
  $('recipients-body').replaceChildren();
  $('recipients-count').textContent = '';
  renderAlertList();
  showAlertPlaceholder(t('loading'));
  const ok = await refreshAlert();
  if (ok && A.current?.id === id && alertViewVisible(A.current)) {
    $('alert-title').focus({ preventScroll: true });
    if (window.matchMedia('(max-width: 799px)').matches) $('alert-view').scrollIntoView({ block: 'start' });
    else $('alert-panel').scrollTop = 0;
  }
}

/** Fetches the open alert (and its progress) and re-renders what changed. */
export async function refreshAlert({ poll = false } = {}) {
  const A = state.alerts;
  const cur = A.current;
  if (!cur) return false;
  const seq = ++cur.seq;
  try {
    const data = await api(`/alerts/${cur.id}`);
    if (A.current !== cur || seq !== cur.seq) return false;
    const prev = cur.data?.alert;
    if (prev && JSON.stringify(prev) !== JSON.stringify(data.alert)) cur.audience = null;
    if (prev && prev.status !== data.alert.status) announce(t('alertStatusLive', { id: cur.id, status: label('astatus', data.alert.status) }));
    cur.data = data;
    syncAlertItem(data.alert);
    if (poll) clearError('poll');
    if (alertViewVisible(cur)) renderAlert();
    scheduleAlertPoll();
    return true;
  } catch (e) {
    if (A.current !== cur) return false;
    showError(e, poll ? 'poll' : 'action');
    if (!cur.data) showAlertPlaceholder(errorText(e));
    scheduleAlertPoll();
    return false;
  }
}

export function syncAlertItem(a) {
  const items = state.alerts.items;
  const i = items.findIndex((x) => x.id === a.id);
  if (i < 0) return;
  items[i] = a;
  renderAlertList();
}

/** While an alert is sending or scheduled (or corrections are going out), poll it every 2 s. */
export function scheduleAlertPoll() {
  const A = state.alerts;
  clearTimeout(A.pollTimer);
  const cur = A.current;
  if (!cur?.data || !state.me || document.hidden || state.route.page !== 'alerts') return;
  const { alert, progress } = cur.data;
  const live = alert.status === 'sending' || alert.status === 'scheduled' || progress.correctionPending > 0;
  if (!live) return;
  A.pollTimer = setTimeout(async () => {
    if (A.current !== cur) return;
    await refreshAlert({ poll: true });
    if (A.current === cur && $('alert-recipients').open) loadRecipients({ quiet: true });
  }, ALERT_POLL_MS);
}

export function renderAlert() {
  const cur = state.alerts.current;
  if (!cur?.data) return;
  const { alert: a, progress: p } = cur.data;
  show($('alert-placeholder'), false);
  show($('alert-editor'), false);
  show($('alert-view'), true);
  const view = $('alert-view');
  view.dataset.alertId = a.id;
  view.dataset.status = a.status;
  renderAlertProgress(cur, a, p);
  const sig = JSON.stringify([a, state.lang, state.me?.id, cur.audience, p.total > 0, p.sent > 0, p.correctionPending]);
  if (sig === cur.sig) return;
  cur.sig = sig;
  $('alert-title').textContent = t('alertTitle', { id: a.id });
  renderAlertSteps(a);
  renderAlertMeta(a);
  renderAlertHint(a, p);
  renderAlertActions(a, p, cur);
  renderAlertTexts(a);
  renderAlertAudience(a, cur);
  show($('alert-recipients'), p.total > 0);
  if (cur.audience === null && ['draft', 'approved', 'scheduled'].includes(a.status)) fetchAlertAudience(cur);
}

export function renderAlertSteps(a) {
  const index = { draft: 0, approved: 1, scheduled: 1, sending: 2, done: 3 }[a.status] ?? -1;
  const ol = $('alert-steps');
  ol.setAttribute('aria-label', t('stepsLabel'));
  ol.classList.toggle('is-cancelled', a.status === 'cancelled');
  ol.replaceChildren(
    ...ALERT_STEPS.map((s, i) => {
      const name = i === 1 && a.status === 'scheduled' ? label('astatus', 'scheduled') : t(`step.${s}`);
      const cls = i < index || (i === index && s === 'done') ? 'done' : i === index ? 'current' : 'todo';
      return h('li', { class: `step step-${cls}`, 'aria-current': i === index ? 'step' : null }, h('span', { class: 'step-mark', 'aria-hidden': 'true' }, cls === 'done' ? '✓' : String(i + 1)), ' ', name);
    }),
    ...(a.status === 'cancelled' ? [h('li', { class: 'step step-cancelled', 'aria-current': 'step' }, h('span', { class: 'step-mark', 'aria-hidden': 'true' }, '✕'), ' ', label('astatus', 'cancelled'))] : []),
  );
}

export function renderAlertMeta(a) {
  const item = (key, ...value) => h('div', { class: 'meta-item' }, h('dt', {}, t(key)), h('dd', {}, ...value));
  const time = (iso) => h('time', { datetime: iso, title: ago(iso) }, formatDateTime(iso));
  const items = [
    item('metaStatus', alertStatusBadge(a.status, 'alert-status')),
    item('metaAuthor', staffText(a.createdBy)),
    item('metaApprovedBy', a.approvedBy === null ? t('none') : staffText(a.approvedBy)),
    item('metaCreated', time(a.createdAt)),
    item('metaStartAt', a.startAt ? time(a.startAt) : t('metaStartNow')),
  ];
  if (a.startedAt) items.push(item('metaStarted', time(a.startedAt)));
  if (a.finishedAt) items.push(item('metaFinished', time(a.finishedAt)));
  if (a.cancelledAt) items.push(item('metaCancelled', time(a.cancelledAt)));
  if (a.correctedAt) items.push(item('metaCorrected', time(a.correctedAt)));
  $('alert-meta').replaceChildren(h('dl', { class: 'meta' }, items));
}

export function renderAlertHint(a, p) {
  const mine = a.createdBy === state.me?.id;
  let key = '';
  let params = {};
  let warn = false;
  if (a.status === 'draft') {
    if (isAlertReviewer() && !mine) key = 'hintDraftReviewer';
    else if (mine) key = 'hintDraftAuthor';
    else key = 'hintDraftOther';
    warn = true;
  } else if (a.status === 'approved') key = isAlertAuthor() ? 'hintApprovedAuthor' : 'hintApprovedOther';
  else if (a.status === 'scheduled') {
    key = 'hintScheduled';
    params = { when: formatDateTime(a.startAt) };
  } else if (a.status === 'sending') key = 'hintSending';
  else if (a.status === 'done') key = isAlertAuthor() ? 'hintDone' : 'hintDoneOther';
  else if (a.status === 'cancelled') key = p.sent > 0 ? 'hintCancelledSent' : 'hintCancelled';
  let text = key ? t(key, params) : '';
  if (p.correctionPending > 0) text += ` ${t('hintCorrecting', { n: p.correctionPending })}`;
  const el = $('alert-hint');
  el.textContent = text;
  el.classList.toggle('hint-warn', warn);
  show(el, !!text);
}

export function renderAlertActions(a, p, cur) {
  const author = isAlertAuthor();
  const mine = a.createdBy === state.me?.id;
  const btn = (key, testid, action, cls = 'btn', extra = {}) =>
    h('button', { type: 'button', class: cls, 'data-testid': testid, onclick: (e) => alertAction(action, e.currentTarget), ...extra }, t(key));
  const link = (key, testid, href, cls = 'btn') => h('a', { class: cls, 'data-testid': testid, href }, t(key));
  const out: Node[] = [];
  if (a.status === 'draft' && isAlertReviewer() && !mine) out.push(btn('alertApprove', 'alert-approve', 'approve', 'btn btn-primary', { 'aria-describedby': 'alert-hint' }));
  if (a.status === 'approved' && author) {
    const future = a.startAt && new Date(a.startAt).getTime() > Date.now();
    const n = cur.audience && typeof cur.audience.recipients === 'number' ? cur.audience.recipients : null;
    const text = future ? t('alertSchedule', { when: formatDateTime(a.startAt) }) : n === null ? t('alertSendNow') : t('alertSendCount', { n });
    out.push(h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'alert-send', onclick: (e) => alertAction('send', e.currentTarget) }, text));
  }
  if (['draft', 'approved'].includes(a.status) && author) out.push(link('alertEdit', 'alert-edit', `#/alerts/${a.id}/edit`));
  if (author && (a.status === 'sending' || a.status === 'done' || (a.status === 'cancelled' && p.sent > 0))) out.push(link('alertCorrect', 'alert-correct', `#/alerts/${a.id}/correct`));
  out.push(btn('alertPreviewSend', 'alert-preview-send', 'preview', 'btn', { title: t('alertPreviewHint') }));
  if (author && ['draft', 'approved', 'scheduled', 'sending'].includes(a.status)) out.push(btn('alertCancel', 'alert-cancel', 'cancel', 'btn btn-danger-ghost'));
  $('alert-actions').replaceChildren(...out);
}

export async function alertAction(name, button) {
  const cur = state.alerts.current;
  if (!cur) return;
  const id = cur.id;
  if (name === 'send') {
    const n = cur.audience && typeof cur.audience.recipients === 'number' ? cur.audience.recipients : null;
    if (!(await confirmAction(n === null ? t('confirmSendUnknown', { id }) : t('confirmSend', { id, n }), t('confirmSendOk')))) return;
  }
  await runAction(button, async () => {
    if (name === 'preview') {
      const r = await api(`/alerts/${id}/preview`, { method: 'POST' });
      notify(t('alertPreviewSent', { chat: r.chatId, n: r.messages }));
      return;
    }
    try {
      const a = await api(`/alerts/${id}/${name}`, { method: 'POST' });
      notify(t(name === 'send' && a?.status === 'scheduled' ? 'alertDid_scheduled' : `alertDid_${name}`, { id }));
    } finally {
      // Refresh even after a 409: the alert probably changed under us.
      await refreshAlert();
      loadAlerts({ quiet: true });
      if (state.alerts.current === cur && alertViewVisible(cur)) $('alert-title').focus({ preventScroll: true });
    }
  });
}

export function renderAlertProgress(cur, a, p) {
  const box = $('alert-progress-box');
  const visible = p.total > 0 || a.status === 'sending' || a.status === 'scheduled';
  show(box, visible);
  box.dataset.status = a.status;
  if (!visible) return;
  const sig = JSON.stringify([p, a.status, state.lang]);
  if (sig === cur.progressSig) return;
  cur.progressSig = sig;
  const body = $('alert-progress-body');
  if (p.total === 0) {
    body.replaceChildren(h('p', { class: 'muted' }, a.status === 'scheduled' ? t('progressScheduled', { when: formatDateTime(a.startAt) }) : t('progressWaiting')));
    return;
  }
  const finished = p.sent + p.blocked + p.failed + p.cancelled;
  const pct = (n) => `${Math.max(0, Math.min(100, (100 * n) / p.total)).toFixed(2)}%`;
  const seg = (cls, n) => (n ? h('span', { class: `seg seg-${cls}`, style: `width:${pct(n)}` }) : null);
  const count = (key, n, testid, cls?: string) =>
    h('div', { class: `count-item${cls ? ` ${cls}` : ''}` }, h('dt', {}, t(key)), h('dd', {}, h('span', { class: `dot dot-${testid}`, 'aria-hidden': 'true' }), h('span', { 'data-testid': `progress-${testid}` }, String(n))));
  const facts: Node[] = [];
  if (a.status === 'sending') {
    facts.push(h('li', {}, t('progressRate', { n: formatNumber(p.ratePerSecond) })));
    facts.push(h('li', {}, p.pending && p.etaSeconds !== null ? t('progressEta', { d: formatDuration(p.etaSeconds) }) : p.pending ? t('progressEtaUnknown') : null));
  }
  facts.push(h('li', { 'data-testid': 'progress-fallback' }, t('progressFallback', { n: p.fallback })));
  facts.push(
    h(
      'li',
      { class: p.possibleDuplicates ? 'fact-warn' : null, 'data-testid': 'progress-duplicates', title: t('progressDuplicatesHint') },
      t('progressDuplicates', { n: p.possibleDuplicates }),
      p.possibleDuplicates ? h('span', { class: 'small' }, ` — ${t('progressDuplicatesHint')}`) : null,
    ),
  );
  if (a.correctedAt || p.corrected || p.correctionPending) {
    facts.push(h('li', { 'data-testid': 'progress-corrected' }, t('progressCorrected', { n: p.corrected }), p.correctionPending ? ` · ${t('progressCorrectionPending', { n: p.correctionPending })}` : null));
  }
  body.replaceChildren(
    h(
      'div',
      {
        class: `progress${a.status === 'sending' ? ' is-live' : ''}`,
        role: 'progressbar',
        'aria-label': t('progressTitle'),
        'aria-valuemin': '0',
        'aria-valuemax': String(p.total),
        'aria-valuenow': String(finished),
        'aria-valuetext': t('progressLabel', { done: p.sent, total: p.total }),
      },
      seg('sent', p.sent),
      seg('blocked', p.blocked),
      seg('failed', p.failed),
      seg('cancelled', p.cancelled),
    ),
    h('p', { class: 'progress-label' }, t('progressLabel', { done: p.sent, total: p.total })),
    h(
      'dl',
      { class: 'progress-counts' },
      count('progressSent', p.sent, 'sent'),
      count('progressPending', p.pending, 'pending'),
      count('progressBlocked', p.blocked, 'blocked', p.blocked ? 'is-bad' : ''),
      count('progressFailed', p.failed, 'failed', p.failed ? 'is-bad' : ''),
      count('progressCancelled', p.cancelled, 'cancelled'),
      count('progressTotal', p.total, 'total'),
    ),
    h('ul', { class: 'progress-facts' }, facts.filter((f) => f?.childNodes.length)),
  );
}

export function formatNumber(n) {
  return intl(Intl.NumberFormat, locale(), { maximumFractionDigits: 1 }).format(n);
}

export function renderAlertTexts(a) {
  const block = (texts, testid) =>
    h(
      'div',
      { class: 'alert-texts-grid' },
      LANGUAGES.filter((l) => texts?.[l]).map((l) =>
        h(
          'section',
          { class: 'alert-lang-text', 'data-testid': testid, 'data-lang': l, 'aria-label': languageText(l) },
          h('h4', {}, languageText(l)),
          h('div', { class: 'tg-chat' }, h('div', { class: 'tg-bubble', lang: l, dir: 'auto' }, telegramPreview(texts[l]))),
        ),
      ),
    );
  const missing = LANGUAGES.filter((l) => !a.texts[l]);
  const parts: Node[] = [];
  if (a.correctionTexts) {
    parts.push(h('h4', { class: 'texts-subtitle' }, t('alertCorrectionTitle')), block(a.correctionTexts, 'alert-correction-view'));
    parts.push(h('details', { class: 'original-texts' }, h('summary', {}, t('alertOriginalTitle')), block(a.texts, 'alert-text-view')));
  } else {
    parts.push(block(a.texts, 'alert-text-view'));
  }
  if (missing.length) parts.push(h('p', { class: 'muted small' }, t('alertTextFallbackNote'), ' ', missing.map((l) => l.toUpperCase()).join(', ')));
  $('alert-texts').replaceChildren(...parts);
}

export function audienceSummary(aud) {
  if (aud?.everyone) return [h('p', {}, t('audienceSummaryEveryone'))];
  const rows: Node[] = [];
  const row = (key, values, fn) => {
    if (values?.length) rows.push(h('div', { class: 'meta-item' }, h('dt', {}, t(key)), h('dd', {}, values.map(fn).join(', '))));
  };
  row('audienceLanguages', aud?.languages, languageText);
  row('audienceCitizenships', aud?.citizenships, (c) => label('cit', c));
  row('audienceTopics', aud?.topics, (tp) => label('topic', tp));
  return [h('dl', { class: 'meta' }, rows), rows.length > 1 ? h('p', { class: 'muted small' }, t('audienceAnd')) : null];
}

export function renderAlertAudience(a, cur) {
  const parts = audienceSummary(a.audience);
  if (['draft', 'approved', 'scheduled'].includes(a.status)) {
    const r = cur.audience;
    let text: string;
    if (!r || r === 'loading') text = t('audienceCounting');
    else if (r.error) text = r.error;
    else text = `${r.recipients} · ${t('audienceFallback', { n: r.fallback })}`;
    parts.push(h('p', { class: 'audience-now', 'data-testid': 'alert-audience-size' }, h('strong', {}, `${t('audienceNow')}: `), text));
  }
  $('alert-audience').replaceChildren(...parts.filter((x): x is El => x !== null));
}

export async function fetchAlertAudience(cur) {
  cur.audience = 'loading';
  const a = cur.data.alert;
  try {
    const r = await api('/alerts/audience', { method: 'POST', body: { audience: a.audience, languages: Object.keys(a.texts) } });
    if (state.alerts.current !== cur) return;
    cur.audience = r;
  } catch (e) {
    if (state.alerts.current !== cur) return;
    cur.audience = { error: errorText(e) };
  }
  if (alertViewVisible(cur)) renderAlert();
}

// ---- Recipients ----------------------------------------------------------

export function buildRecipientsFilter() {
  const sel = $('recipients-filter');
  const v = state.alerts.recipients.status;
  sel.replaceChildren(option('', t('recipientsAll'), !v), ...RECIPIENT_STATUSES.map((s) => option(s, label('rstatus', s), v === s)));
}

export async function loadRecipients({ quiet = false } = {}) {
  const A = state.alerts;
  const cur = A.current;
  if (!cur) return;
  const R = A.recipients;
  const seq = ++R.seq;
  const status = R.status;
  if (!R.rows) $('recipients-count').textContent = t('loading');
  try {
    const rows = await api(`/alerts/${cur.id}/recipients${status ? `?status=${encodeURIComponent(status)}` : ''}`);
    if (seq !== R.seq || A.current !== cur) return;
    R.rows = rows;
    renderRecipients();
  } catch (e) {
    if (seq !== R.seq) return;
    if (!quiet) showError(e);
  }
}

export function renderRecipients() {
  const R = state.alerts.recipients;
  const rows = R.rows ?? [];
  const sig = JSON.stringify([rows, state.lang]);
  if (sig === R.sig) return;
  R.sig = sig;
  $('recipients-count').textContent = rows.length >= RECIPIENTS_MAX ? t('recipientsCountMax', { n: rows.length }) : t('recipientsCount', { n: rows.length });
  $('recipients-body').replaceChildren(
    ...(rows.length
      ? rows.map((r) =>
          h(
            'tr',
            { 'data-testid': 'recipient-row', 'data-status': r.status },
            h('td', {}, r.userId === null ? t('none') : `#${r.userId}`),
            h('td', {}, h('span', { class: 'badge badge-lang', title: languageText(r.language) }, r.language.toUpperCase())),
            h('td', {}, h('span', { class: `badge rstatus rstatus-${r.status}` }, label('rstatus', r.status))),
            h('td', {}, r.sentAt ? h('time', { datetime: r.sentAt }, formatDateTime(r.sentAt)) : t('none')),
            h('td', { class: 'small' }, r.lastError ?? ''),
          ),
        )
      : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('recipientsEmpty')))]),
  );
}

// ---- Editor (new draft, edit, correct) ----------------------------------
