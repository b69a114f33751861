import type { CaseList } from './api-types.js';
import { api } from './api.js';
import { ACTIVE, FILTERS_KEY, KNOWN_TOPICS, LANGUAGES, MAX_PAGE, PAGE_SIZE, STATUSES } from './constants.js';
import { $, ago, assigneeText, canWork, deadlineBadge, holdBadge, formatDateTime, h, label, languageText, show, t, todayIso } from './helpers.js';
import { notifyUrgent } from './login.js';
import { defaultFilters, state } from './state.js';
import { announce, clearError, showError, updateTitle } from './ui.js';

// ---------------------------------------------------------------------------
// Queue
// ---------------------------------------------------------------------------

export function option(value, text, selected) {
  const o = h('option', { value }, text);
  if (selected) o.selected = true;
  return o;
}

export function buildFilterSelects() {
  const f = state.filters;
  const statusValues = [
    [ACTIVE, t('statusActive')],
    ...STATUSES.map((s) => [s, label('status', s)]),
    [STATUSES.join(','), t('statusAll')],
  ];
  $('f-status').replaceChildren(...statusValues.map(([v, l]) => option(v, l, f.status === v)));
  $('f-priority').replaceChildren(option('', t('any'), !f.priority), ...['urgent', 'normal'].map((p) => option(p, label('priority', p), f.priority === p)));
  $('f-language').replaceChildren(option('', t('any'), !f.language), ...LANGUAGES.map((l) => option(l, languageText(l), f.language === l)));
  const topics = [...state.topics].sort((a, b) => KNOWN_TOPICS.indexOf(a) - KNOWN_TOPICS.indexOf(b));
  if (f.topic && !state.topics.has(f.topic)) topics.push(f.topic);
  $('f-topic').replaceChildren(option('', t('any'), !f.topic), ...topics.map((tp) => option(tp, label('topic', tp), f.topic === tp)));
  $('f-assignee').replaceChildren(option('', t('any'), !f.assignee), option('me', t('assigneeMine'), f.assignee === 'me'), option('none', t('assigneeNone'), f.assignee === 'none'));
  if (document.activeElement !== $('f-q')) $('f-q').value = f.q ?? '';
}

export function onFilterChange() {
  state.filters = {
    status: $('f-status').value,
    priority: $('f-priority').value,
    language: $('f-language').value,
    topic: $('f-topic').value,
    assignee: $('f-assignee').value,
    q: $('f-q').value.trim(),
  };
  try {
    sessionStorage.setItem(FILTERS_KEY, JSON.stringify(state.filters));
  } catch {}
  loadQueue();
}

export function resetFilters() {
  state.filters = defaultFilters();
  try {
    sessionStorage.removeItem(FILTERS_KEY);
  } catch {}
  buildFilterSelects();
  loadQueue();
}

export function queueParams(limit, cursor) {
  const p = new URLSearchParams();
  const f = state.filters;
  if (f.status) p.set('status', f.status);
  if (f.priority) p.set('priority', f.priority);
  if (f.language) p.set('language', f.language);
  if (f.topic) p.set('topic', f.topic);
  if (f.assignee) p.set('assignee', f.assignee);
  if (f.q) p.set('q', f.q);
  if (cursor) p.set('cursor', cursor);
  p.set('limit', String(limit));
  return p;
}

/**
 * Loads the queue. `mode`: 'reset' (filters changed: first page), 'refresh'
 * (after an action: as many as are shown, marks unseen cases as new), 'poll'
 * (the same, but skipped while another load is under way), 'more' (next page).
 */
export async function loadQueue(mode = 'reset') {
  if (!canWork()) return;
  const q = state.queue;
  if (mode === 'poll') {
    if (q.loading) return;
    mode = 'refresh';
  }
  const seq = ++q.seq;
  q.loading = true;
  let limit = PAGE_SIZE;
  if (mode === 'refresh') limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, q.items.length));
  const cursor = mode === 'more' ? q.nextCursor : undefined;
  if (mode === 'more') $('load-more').disabled = true;
  if (mode === 'reset' && !q.loaded) $('queue-count').textContent = t('loading');
  try {
    const data = await api<CaseList>(`/cases?${queueParams(limit, cursor)}`);
    if (seq !== q.seq) return;
    const items = data.items ?? [];
    let fresh = 0;
    for (const c of items) {
      if (!state.knownCaseIds.has(c.id)) {
        if (mode === 'refresh' && q.loaded) {
          state.newCaseIds.add(c.id);
          fresh++;
          if (c.priority === 'urgent') notifyUrgent(c);
        }
        state.knownCaseIds.add(c.id);
      }
      if (!state.topics.has(c.topic)) {
        state.topics.add(c.topic);
        buildFilterSelects();
      }
    }
    if (fresh) announce(t('newCasesLive', { n: state.newCaseIds.size }));
    q.items = mode === 'more' ? [...q.items, ...items.filter((c) => !q.items.some((x) => x.id === c.id))] : items;
    q.nextCursor = data.nextCursor;
    q.loaded = true;
    clearError('poll');
    renderQueue();
    updateTitle();
  } catch (e) {
    if (seq !== q.seq) return;
    showError(e, mode === 'refresh' ? 'poll' : 'action');
  } finally {
    if (seq === q.seq) q.loading = false;
    $('load-more').disabled = false;
  }
}

/** The user's question from the summary, for the one-line preview. */
export function snippetOf(c) {
  const lines = (c.summaryRu || '').split('\n');
  const q = lines.find((l) => l.startsWith('Вопрос'));
  if (q) return q.replace(/^Вопрос[^:]*:\s*/, '');
  return lines.find((l) => l.startsWith('Раздел')) ?? lines[0] ?? '';
}

export function queueItem(c) {
  const mine = state.me && c.assigneeId === state.me.id;
  const unread = c.unread && mine;
  const isNew = state.newCaseIds.has(c.id);
  const current = state.route.caseId === c.id;
  const classes = ['queue-item', `status-${c.status}`];
  if (c.priority === 'urgent') classes.push('urgent');
  if (unread) classes.push('unread');
  if (isNew) classes.push('is-new');
  if (current) classes.push('is-current');
  return h(
    'li',
    { class: classes.join(' '), 'data-testid': 'queue-item', 'data-case-id': c.id, 'data-priority': c.priority, 'data-status': c.status, 'data-unread': unread ? 'true' : 'false', 'data-new': isNew ? 'true' : 'false' },
    h(
      'a',
      { href: `#/case/${c.id}`, class: 'qi-link', 'aria-current': current ? 'true' : null },
      h(
        'span',
        { class: 'qi-top' },
        c.priority === 'urgent' ? h('span', { class: 'qi-sos', title: t('urgentLabel') }, h('span', { 'aria-hidden': 'true' }, '🆘 '), h('span', { class: 'visually-hidden' }, `${t('urgentLabel')}: `)) : null,
        unread ? h('span', { class: 'unread-dot', 'data-testid': 'unread-mark', title: t('unreadLabel') }, h('span', { class: 'visually-hidden' }, t('unreadLabel'))) : null,
        h('span', { class: 'qi-id' }, `#${c.id}`),
        h('span', { class: 'qi-topic' }, label('topic', c.topic)),
        h('span', { class: 'badge badge-lang', title: languageText(c.language) }, c.language.toUpperCase()),
        isNew ? h('span', { class: 'badge badge-new' }, t('newBadge')) : null,
      ),
      h('span', { class: 'qi-snippet' }, snippetOf(c)),
      h(
        'span',
        { class: 'qi-bottom' },
        holdBadge(c.holdEndsAt),
        deadlineBadge(c.nearestDeadline),
        h('span', { class: `badge badge-status status-${c.status}` }, label('status', c.status)),
        h('span', { class: 'qi-assignee' }, assigneeText(c)),
        h('time', { class: 'qi-age', datetime: c.createdAt, title: formatDateTime(c.createdAt) }, ago(c.createdAt)),
      ),
    ),
  );
}

export function renderQueue() {
  const q = state.queue;
  const list = $('queue');
  // Re-render only when something visible changed (ages change once a minute).
  const sig = JSON.stringify([q.loaded, q.items, [...state.newCaseIds], state.route.caseId, state.lang, Math.floor(Date.now() / 60000), todayIso(), !!q.nextCursor]);
  if (sig === q.sig) return;
  q.sig = sig;
  const focusedId = document.activeElement?.closest?.<HTMLElement>('[data-testid="queue-item"]')?.dataset.caseId;
  list.replaceChildren(...q.items.map(queueItem));
  if (focusedId) list.querySelector<HTMLElement>(`[data-case-id="${CSS.escape(focusedId)}"] a`)?.focus();
  show($('queue-empty'), q.loaded && q.items.length === 0);
  show($('load-more'), !!q.nextCursor);
  const fresh = q.items.filter((c) => state.newCaseIds.has(c.id)).length;
  $('queue-count').textContent = q.loaded ? t(q.nextCursor ? 'queueCountMore' : 'queueCount', { n: q.items.length }) + (fresh ? ` · ${t('queueNew', { n: fresh })}` : '') : '';
}
