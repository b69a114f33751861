import { api } from './api.js';
import { $, formatDuration, h, label, languageText, t } from './helpers.js';
import { state } from './state.js';
import { showError } from './ui.js';

// ---------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------

export async function loadStats({ quiet = false } = {}) {
  try {
    state.stats = await api('/stats');
    renderStats();
  } catch (e) {
    if (!quiet) showError(e);
  }
}

export function renderStats() {
  const s = state.stats;
  const box = $('stats');
  // The page refreshes every few seconds: rebuild only when something changed.
  const sig = JSON.stringify([state.lang, s]);
  if (sig === state.statsSig) return;
  state.statsSig = sig;
  if (!s) {
    box.replaceChildren();
    return;
  }
  const total = Object.values<number>(s.byStatus ?? {}).reduce((a, b) => a + b, 0);
  const big = (key, value, testid) =>
    h('div', { class: 'stat-card' }, h('div', { class: `stat-value${value === t('noData') ? ' no-data' : ''}`, 'data-testid': testid }, value), h('div', { class: 'stat-label' }, t(key)));
  const table = (key, obj, prefix) => {
    const rows = Object.entries<number>(obj ?? {}).sort((a, b) => b[1] - a[1]);
    return h(
      'table',
      { class: 'kv stat-table' },
      h('caption', {}, t(key)),
      h('tbody', {}, rows.length ? rows.map(([k, n]) => h('tr', {}, h('th', { scope: 'row' }, prefix === 'lang' ? languageText(k) : label(prefix, k)), h('td', {}, String(n)))) : h('tr', {}, h('td', { colspan: 2, class: 'muted' }, t('noData')))),
    );
  };
  box.replaceChildren(
    h(
      'div',
      { class: 'stat-cards' },
      big('totalCases', String(total), 'stat-total'),
      big('medianFirstResponse', formatDuration(s.medianFirstResponseSeconds), 'stat-first-response'),
      big('medianResolution', formatDuration(s.medianResolutionSeconds), 'stat-resolution'),
      big('averageRating', s.averageRating === null || s.averageRating === undefined ? t('noData') : `${s.averageRating} / 5`, 'stat-rating'),
    ),
    h('div', { class: 'stat-tables' }, table('byStatus', s.byStatus, 'status'), table('byTopic', s.byTopic, 'topic'), table('byLanguage', s.byLanguage, 'lang')),
  );
}
