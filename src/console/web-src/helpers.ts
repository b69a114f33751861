import { WORK_ROLES } from './constants.js';
import { I18N, LOCALES } from './i18n.js';
import { staffName } from './login.js';
import { state } from './state.js';

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/**
 * Any element the page looks up by its id, with the properties of the form controls
 * and dialogs it may be (a missing id is a programming error, caught by the browser test).
 */
export type El = HTMLElement & HTMLInputElement & HTMLTextAreaElement & HTMLSelectElement & HTMLDialogElement & HTMLDetailsElement & Pick<HTMLOptionElement, 'selected'> & { _templates?: any[]; _translations?: any[] };
export const $ = (id: string): El => document.getElementById(id) as El;

/** Translates a key, filling {placeholders}. Unknown keys fall back to Russian, then to the key. */
export function t(key, params = {}) {
  const s = I18N[state.lang][key] ?? I18N.ru[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}
/** A translated label for a value from a known set, or the raw value. */
export function label(prefix, value) {
  const key = `${prefix}.${value}`;
  return I18N[state.lang][key] ?? I18N.ru[key] ?? String(value);
}

/**
 * Creates an element. Children that are strings become text nodes, so
 * user-supplied text is never parsed as HTML.
 */
export function h(tag: string, attrs: Record<string, unknown> = {}, ...children: unknown[]): El {
  const el = document.createElement(tag) as El;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function show(el, visible) {
  el.hidden = !visible;
}

export function locale() {
  return LOCALES[state.lang] ?? 'ru-RU';
}

export const intlCache = new Map();
/** Intl formatters are slow to build and lists re-render often: one per kind, locale and options. */
export function intl(Kind, loc, options) {
  const key = `${Kind.name}|${loc}|${JSON.stringify(options)}`;
  let f = intlCache.get(key);
  if (!f) {
    f = new Kind(loc, options);
    intlCache.set(key, f);
  }
  return f;
}

export function formatDateOnly(iso) {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso ?? '';
  const [y, m, d] = iso.split('-').map(Number);
  return intl(Intl.DateTimeFormat, locale(), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return intl(Intl.DateTimeFormat, locale(), { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

export function formatTimeShort(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = new Date().toDateString() === d.toDateString();
  return intl(Intl.DateTimeFormat, locale(), sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** "3 hours ago", "только что". */
export function ago(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sec = Math.round((Date.now() - d.getTime()) / 1000);
  if (sec < 45) return t('justNow');
  const rtf = intl(Intl.RelativeTimeFormat, locale(), { numeric: 'always' });
  const min = Math.round(sec / 60);
  if (min < 60) return rtf.format(-min, 'minute');
  const hours = Math.round(sec / 3600);
  if (hours < 24) return rtf.format(-hours, 'hour');
  const days = Math.round(sec / 86400);
  if (days < 60) return rtf.format(-days, 'day');
  return rtf.format(-Math.round(days / 30), 'month');
}

/** Today's date in Moscow (the deadlines are Russian legal dates). */
export function todayIso() {
  try {
    return intl(Intl.DateTimeFormat, 'en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
}

export function daysUntil(isoDate) {
  const toUtc = (s) => {
    const [y, m, d] = s.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((toUtc(isoDate) - toUtc(todayIso())) / 86_400_000);
}

/** The deadline badge: red when 3 days or less (or past), amber up to 7, grey beyond. */
export function deadlineBadge(isoDate) {
  if (!isoDate || !/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return null;
  const days = daysUntil(isoDate);
  const level = days <= 3 ? 'red' : days <= 7 ? 'amber' : 'grey';
  const when = intl(Intl.RelativeTimeFormat, locale(), { numeric: 'auto' }).format(days, 'day');
  const text = days < 0 ? t('deadlinePast', { when }) : t('deadlineFuture', { when });
  return h('span', {
    class: `badge deadline deadline-${level}`,
    'data-testid': 'deadline-badge',
    'data-days': days,
    'data-level': level,
    title: t('deadlineTitle', { date: formatDateOnly(isoDate) }),
  }, days <= 3 ? '⏰ ' : '', text);
}

/**
 * "⏱ hold ends 14:10" for a case whose user is held at a police station: the legal end of
 * the hold in the user's time zone (the badge says which), red until it passes.
 */
export function holdBadge(isoDateTime: string | null | undefined) {
  const m = isoDateTime ? /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})([+-]\d{2}):00$/.exec(isoDateTime) : null;
  if (!m) return null;
  const passed = new Date(isoDateTime!).getTime() <= Date.now();
  const zone = m[3] === '+03' ? t('holdMsk') : `UTC${m[3]}`;
  return h('span', {
    class: `badge deadline deadline-${passed ? 'grey' : 'red'}`,
    'data-testid': 'hold-badge',
    title: t('holdTitle', { date: formatDateOnly(m[1]), time: m[2], zone }),
  }, passed ? t('holdPassed', { time: m[2] }) : t('holdEnds', { time: m[2] }));
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return t('noData');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('durSeconds', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('durMinutes', { m });
  const hh = Math.floor(m / 60);
  if (hh < 24) return t('durHours', { h: hh, m: m % 60 });
  return t('durDays', { d: Math.floor(hh / 24), h: hh % 24 });
}

export function assigneeText(c) {
  if (c.assigneeId === null || c.assigneeId === undefined) return t('unassigned');
  if (state.me && c.assigneeId === state.me.id) return t('assignedMe');
  return t('assignedOther', { id: staffName(c.assigneeId) });
}

export function languageText(code) {
  return `${label('lang', code)} (${code})`;
}

export function canWork() {
  return !!state.me && WORK_ROLES.includes(state.me.role);
}
