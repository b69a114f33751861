// Pravo local mode — browser chat that imitates a Telegram private chat.
// Talks only to the same-origin local server (/local/*). No dependencies, no build step.

const API = {
  info: '/local/info',
  updates: '/local/updates',
  chat: (chatId) => `/local/chats/${encodeURIComponent(chatId)}`,
  wait: (chatId, after) => `/local/chats/${encodeURIComponent(chatId)}/wait?after=${encodeURIComponent(after)}`,
};

const LANGS = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'];
const FIRST_USER_ID = 100001;
const DEFAULT_USERS = [
  { id: 100001, firstName: 'Алишер', lc: 'uz' },
  { id: 100002, firstName: 'Maria', lc: 'ro' },
];
const LS_USERS = 'pravo.local.users.v1';
const LS_CURRENT = 'pravo.local.currentUser.v1';
const RETRY_MS = 2000;
const TOAST_MS = 3500;

// ---------------------------------------------------------------------------
// DOM
// ---------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);
const dom = {
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
  commands: document.querySelector('.commands'),
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

function h(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text != null) el.textContent = text;
  return el;
}

// ---------------------------------------------------------------------------
// Telegram HTML sanitizer: rebuild only the allowed subset, keep text of the rest.
// ---------------------------------------------------------------------------

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const PLAIN_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'blockquote',
]);
const SAFE_HREF = /^(?:https?:\/\/|tg:\/\/)/i;
const MAX_DEPTH = 64;
const parser = new DOMParser();

/** Returns a DocumentFragment built from scratch with only safe nodes. */
export function sanitizeTelegramHtml(html) {
  const out = document.createDocumentFragment();
  if (typeof html !== 'string' || html === '') return out;
  // The explicit <body> keeps leading newlines (they are dropped before <body> otherwise).
  // DOMParser documents have no browsing context: nothing runs and nothing loads.
  const doc = parser.parseFromString(`<!DOCTYPE html><html><head></head><body>${html}`, 'text/html');
  copySafe(doc.body, out, 0);
  return out;
}

function copySafe(src, out, depth) {
  for (const node of src.childNodes) {
    if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) {
      out.append(document.createTextNode(node.data));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
    if (depth >= MAX_DEPTH) {
      out.append(document.createTextNode(node.textContent || ''));
      continue;
    }
    const tag = node.namespaceURI === HTML_NS ? node.localName : '';
    let made = null;
    if (tag === 'br') {
      out.append(document.createElement('br'));
      continue;
    } else if (PLAIN_TAGS.has(tag)) {
      made = document.createElement(tag);
    } else if (tag === 'a') {
      const href = (node.getAttribute('href') || '').trim();
      if (SAFE_HREF.test(href)) {
        made = document.createElement('a');
        made.setAttribute('href', href);
        made.setAttribute('target', '_blank');
        made.setAttribute('rel', 'noopener noreferrer');
      }
    } else if (tag === 'tg-spoiler' || (tag === 'span' && node.classList.contains('tg-spoiler'))) {
      made = document.createElement('span');
      made.className = 'tg-spoiler';
      made.tabIndex = 0;
      made.setAttribute('role', 'button');
      made.setAttribute('aria-pressed', 'false');
      made.title = 'Spoiler: click to reveal';
    }
    const from = tag === 'template' ? node.content : node;
    if (made) {
      copySafe(from, made, depth + 1);
      out.append(made);
    } else {
      copySafe(from, out, depth + 1); // unknown element: drop it, keep its text
    }
  }
}

// ---------------------------------------------------------------------------
// Simulated users (localStorage)
// ---------------------------------------------------------------------------

function storageGet(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function storageSet(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // storage disabled (private mode etc.) — the page still works for this session
  }
}

function normalizeUser(u) {
  if (!u || typeof u !== 'object') return null;
  const id = Number(u.id);
  const firstName = typeof u.firstName === 'string' ? u.firstName.trim().slice(0, 64) : '';
  if (!Number.isSafeInteger(id) || id <= 0 || !firstName) return null;
  const lc = typeof u.lc === 'string' && /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})?$/.test(u.lc) ? u.lc : 'ru';
  return { id, firstName, lc };
}

function loadUsers() {
  const raw = storageGet(LS_USERS);
  if (raw) {
    try {
      const parsed = JSON.parse(raw);
      if (Array.isArray(parsed)) {
        const seen = new Set();
        const users = [];
        for (const item of parsed) {
          const u = normalizeUser(item);
          if (u && !seen.has(u.id)) {
            seen.add(u.id);
            users.push(u);
          }
        }
        if (users.length) return users;
      }
    } catch {
      // corrupted value: fall back to defaults
    }
  }
  return DEFAULT_USERS.map((u) => ({ ...u }));
}

function saveUsers() {
  storageSet(LS_USERS, JSON.stringify(state.users));
}

function nextFreeUserId() {
  const used = new Set(state.users.map((u) => u.id));
  let id = FIRST_USER_ID;
  while (used.has(id)) id++;
  return id;
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

const state = {
  bot: { id: 0, username: '', first_name: 'Pravo' },
  users: loadUsers(),
  currentId: 0,
  /** chatId -> { revision, messages, loaded } */
  chats: new Map(),
  /** chatId -> [{ key, text, date }] — user messages on their way to the server */
  pending: new Map(),
  pollGen: 0,
  pollAbort: null,
  inflight: 0,
  connected: null,
};

{
  const saved = Number(storageGet(LS_CURRENT));
  state.currentId = state.users.some((u) => u.id === saved) ? saved : state.users[0].id;
}

function currentUser() {
  return state.users.find((u) => u.id === state.currentId) || state.users[0];
}

function getChat(chatId) {
  let chat = state.chats.get(chatId);
  if (!chat) {
    chat = { revision: 0, messages: [], loaded: false };
    state.chats.set(chatId, chat);
  }
  return chat;
}

function getPending(chatId) {
  let list = state.pending.get(chatId);
  if (!list) {
    list = [];
    state.pending.set(chatId, list);
  }
  return list;
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // undefined for network errors
  }
}

async function api(path, { method = 'GET', body, signal } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      signal,
      cache: 'no-store',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError('Cannot reach the local server.', undefined);
  }
  let text = '';
  try {
    text = await res.text();
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError('Connection to the local server was interrupted.', undefined);
  }
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const msg = data && typeof data.error === 'string' && data.error ? data.error : `HTTP ${res.status} ${res.statusText}`.trim();
    throw new ApiError(msg, res.status);
  }
  if (data === null || typeof data !== 'object') throw new ApiError(`Unexpected response from ${path}`, res.status);
  return data;
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

// ---------------------------------------------------------------------------
// Error banner, toast, alert, connection status
// ---------------------------------------------------------------------------

let errorSource = null;

function showError(message, source = 'request') {
  errorSource = source;
  dom.errorText.textContent = message;
  dom.errorBanner.hidden = false;
}

function clearError(source) {
  if (source && errorSource !== source) return;
  errorSource = null;
  dom.errorBanner.hidden = true;
  dom.errorText.textContent = '';
}

let toastTimer = 0;
function showToast(text) {
  clearTimeout(toastTimer);
  dom.toast.textContent = text;
  dom.toast.classList.add('toast--visible');
  toastTimer = setTimeout(() => {
    dom.toast.classList.remove('toast--visible');
    toastTimer = setTimeout(() => {
      dom.toast.textContent = '';
    }, 300);
  }, TOAST_MS);
}

function showAlert(text) {
  const d = dom.alertDialog;
  if (typeof d.showModal !== 'function') {
    window.alert(text);
    return;
  }
  dom.alertTitle.textContent = botDisplayName();
  dom.alertText.textContent = text;
  if (d.open) d.close();
  d.showModal();
}

function setConnected(ok) {
  if (state.connected === ok) return;
  state.connected = ok;
  updateStatusLine();
}

function updateStatusLine() {
  let text;
  let st;
  if (state.connected === false) {
    text = 'reconnecting…';
    st = 'offline';
  } else if (state.inflight > 0) {
    text = 'processing…';
    st = 'busy';
  } else if (state.connected === true) {
    text = 'local';
    st = 'online';
  } else {
    text = 'connecting…';
    st = 'connecting';
  }
  if (dom.conn.textContent !== text) dom.conn.textContent = text;
  dom.conn.dataset.state = st;
}

function botDisplayName() {
  return state.bot.first_name || 'Pravo';
}

// ---------------------------------------------------------------------------
// Rendering (keyed: only changed items are rebuilt)
// ---------------------------------------------------------------------------

/** key -> { sig, el } */
const rendered = new Map();

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' });
const dayFmtYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

function dayKey(d) {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function dayLabel(d) {
  const now = new Date();
  if (dayKey(d) === dayKey(now)) return 'Today';
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (dayKey(d) === dayKey(y)) return 'Yesterday';
  return d.getFullYear() === now.getFullYear() ? dayFmt.format(d) : dayFmtYear.format(d);
}

function normalizeMessage(m) {
  if (!m || typeof m !== 'object') return null;
  const id = Number(m.id);
  if (!Number.isFinite(id)) return null;
  return {
    id,
    from: m.from === 'user' ? 'user' : 'bot',
    html: typeof m.html === 'string' ? m.html : '',
    date: Number.isFinite(Number(m.date)) ? Number(m.date) : 0,
    edited: Boolean(m.edited),
    buttons: Array.isArray(m.buttons) ? m.buttons.filter(Array.isArray) : [],
  };
}

function buildItems() {
  const chatId = state.currentId;
  const chat = getChat(chatId);
  const items = [];
  if (!chat.loaded) {
    items.push({ key: 'loading', sig: 'loading', build: buildLoading });
    return items;
  }
  let lastDay = '';
  const botName = botDisplayName();
  const seen = new Set();
  for (const m of chat.messages) {
    if (seen.has(m.id)) continue; // defensive: keys must be unique
    seen.add(m.id);
    if (m.date > 0) {
      const d = new Date(m.date * 1000);
      const k = dayKey(d);
      if (k !== lastDay) {
        lastDay = k;
        const label = dayLabel(d);
        items.push({ key: `day:${k}`, sig: label, build: () => buildDay(label) });
      }
    }
    const sig = JSON.stringify([m.from, m.html, m.date, m.edited, m.buttons, m.from === 'bot' ? botName : '']);
    items.push({ key: `m:${m.id}`, sig, build: () => buildMessage(m) });
  }
  for (const p of getPending(chatId)) {
    items.push({ key: p.key, sig: 'pending', build: () => buildPending(p) });
  }
  if (items.length === 0) items.push({ key: 'hint', sig: 'hint', build: buildHint });
  return items;
}

/** quiet: rebuild without announcing every message to screen readers (initial load, user switch). */
function render({ quiet = false } = {}) {
  const items = buildItems();
  const list = dom.messages;
  if (quiet) {
    list.setAttribute('aria-live', 'off');
    setTimeout(() => list.setAttribute('aria-live', 'polite'), 0);
  }
  const keep = new Set();
  let changed = false;
  let refocus = null;

  items.forEach((item, i) => {
    keep.add(item.key);
    let entry = rendered.get(item.key);
    if (!entry || entry.sig !== item.sig) {
      const el = item.build();
      el.dataset.key = item.key;
      if (entry) {
        if (entry.el.contains(document.activeElement)) refocus = { key: item.key, kb: document.activeElement.dataset?.kb };
        entry.el.replaceWith(el);
      }
      entry = { sig: item.sig, el };
      rendered.set(item.key, entry);
      changed = true;
    }
    const at = list.children[i];
    if (at !== entry.el) {
      list.insertBefore(entry.el, at || null);
      changed = true;
    }
  });
  for (const [key, entry] of rendered) {
    if (!keep.has(key)) {
      if (entry.el.contains(document.activeElement)) refocus = refocus || { key: null };
      entry.el.remove();
      rendered.delete(key);
      changed = true;
    }
  }

  if (refocus) {
    // A message that held focus was rebuilt (e.g. its keyboard was edited): keep focus nearby.
    const entry = refocus.key ? rendered.get(refocus.key) : null;
    const target = (entry && refocus.kb && entry.el.querySelector(`[data-kb="${CSS.escape(refocus.kb)}"]`))
      || (entry && entry.el.querySelector('.kb-btn'))
      || dom.scroll;
    target.focus({ preventScroll: true });
  }
  if (changed) scrollToBottom();
}

// Stay pinned to the newest message while the layout changes size (header reflow,
// on-screen keyboard, window resize), unless the user scrolled up to read.
let stickToBottom = true;

function scrollToBottom() {
  const sc = dom.scroll;
  sc.scrollTop = sc.scrollHeight;
  stickToBottom = true;
}

function watchScroll() {
  const sc = dom.scroll;
  sc.addEventListener('scroll', () => {
    stickToBottom = sc.scrollHeight - sc.scrollTop - sc.clientHeight < 48;
  }, { passive: true });
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver(() => {
      if (stickToBottom) sc.scrollTop = sc.scrollHeight;
    });
    ro.observe(sc);
    ro.observe(dom.messages);
  }
}

function buildLoading() {
  const el = h('div', 'service service--loading');
  el.append(h('span', 'service__pill', 'Loading chat…'));
  return el;
}

function buildDay(label) {
  const el = h('div', 'service service--day');
  el.append(h('span', 'service__pill', label));
  return el;
}

function buildHint() {
  const el = h('div', 'hint');
  const card = h('div', 'hint__card');
  const en = h('p', 'hint__line');
  en.lang = 'en';
  en.append('Press ', h('strong', null, '/start'), ' to begin');
  const ru = h('p', 'hint__line');
  ru.lang = 'ru';
  ru.append('Нажмите ', h('strong', null, '/start'), ', чтобы начать');
  const btn = h('button', 'btn btn--primary hint__btn', '/start');
  btn.type = 'button';
  btn.dataset.command = '/start';
  card.append(en, ru, btn);
  el.append(card);
  return el;
}

function buildMeta(date, edited, pending) {
  const meta = h('span', 'meta');
  if (edited) meta.append(h('span', 'meta__edited', 'edited'));
  if (date > 0) {
    const d = new Date(date * 1000);
    const t = h('time', 'meta__time', timeFmt.format(d));
    t.dateTime = d.toISOString();
    meta.append(t);
  }
  if (pending) {
    const p = h('span', 'meta__pending', '🕓');
    p.setAttribute('role', 'img');
    p.setAttribute('aria-label', 'sending');
    meta.append(p);
  }
  return meta;
}

function buildMessage(m) {
  const isUser = m.from === 'user';
  const row = h('div', `msg ${isUser ? 'msg--user' : 'msg--bot'}`);
  row.dataset.msgId = String(m.id);
  const col = h('div', 'msg__col');
  const bubble = h('div', 'bubble');
  bubble.append(h('span', 'visually-hidden', isUser ? 'You: ' : `${botDisplayName()}: `));
  const text = h('div', 'bubble__text');
  text.append(sanitizeTelegramHtml(m.html));
  bubble.append(text, buildMeta(m.date, m.edited, false));
  col.append(bubble);
  if (m.buttons.length) {
    col.classList.add('msg__col--kb');
    col.append(buildKeyboard(m));
  }
  row.append(col);
  return row;
}

function buildPending(p) {
  const row = h('div', 'msg msg--user msg--pending');
  // Announced once, when the server confirms it; the pending copy is only visual.
  row.setAttribute('aria-hidden', 'true');
  const col = h('div', 'msg__col');
  const bubble = h('div', 'bubble');
  const text = h('div', 'bubble__text');
  text.textContent = p.text;
  bubble.append(text, buildMeta(p.date, false, true));
  col.append(bubble);
  row.append(col);
  return row;
}

function buildKeyboard(m) {
  const kb = h('div', 'keyboard');
  kb.setAttribute('role', 'group');
  kb.setAttribute('aria-label', 'Message buttons');
  m.buttons.forEach((row, r) => {
    if (!row.length) return;
    const rowEl = h('div', 'kb-row');
    row.forEach((b, c) => {
      if (!b || typeof b !== 'object') return;
      const label = typeof b.text === 'string' ? b.text : '';
      let el;
      if (typeof b.url === 'string') {
        const href = b.url.trim();
        if (SAFE_HREF.test(href)) {
          el = h('a', 'kb-btn kb-btn--url');
          el.href = href;
          el.target = '_blank';
          el.rel = 'noopener noreferrer';
          el.append(h('span', 'kb-btn__text', label), h('span', 'kb-btn__icon', '↗'));
          el.lastChild.setAttribute('aria-hidden', 'true');
          el.title = href;
        }
      } else if (typeof b.callback_data === 'string') {
        el = h('button', 'kb-btn');
        el.type = 'button';
        el.dataset.cb = b.callback_data;
        el.append(h('span', 'kb-btn__text', label));
      }
      if (!el) {
        el = h('button', 'kb-btn kb-btn--unsupported');
        el.type = 'button';
        el.disabled = true;
        el.title = 'This kind of button is not supported in local mode';
        el.append(h('span', 'kb-btn__text', label));
      }
      el.dataset.kb = `${r}:${c}`;
      rowEl.append(el);
    });
    kb.append(rowEl);
  });
  return kb;
}

// ---------------------------------------------------------------------------
// Chat snapshots and long polling
// ---------------------------------------------------------------------------

/** Applies a chat snapshot. Returns true if it was used. */
function applySnapshot(chatId, snap, force) {
  if (!snap || !Array.isArray(snap.messages)) {
    showError('Unexpected chat data from the local server.', 'poll');
    return false;
  }
  if (snap.chatId != null && Number(snap.chatId) !== chatId) return false;
  const chat = getChat(chatId);
  const rev = Number(snap.revision);
  const revision = Number.isFinite(rev) ? rev : chat.revision;
  if (!force && chat.loaded && revision <= chat.revision) return false;
  const firstLoad = !chat.loaded;
  chat.revision = revision;
  chat.messages = snap.messages.map(normalizeMessage).filter(Boolean);
  chat.loaded = true;
  if (chatId === state.currentId) render({ quiet: firstLoad });
  return true;
}

const EMPTY_SNAPSHOT = { revision: 0, messages: [] };

async function fetchSnapshot(chatId, signal) {
  try {
    return await api(API.chat(chatId), { signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return EMPTY_SNAPSHOT; // chat not created yet
    throw err;
  }
}

function startPolling() {
  if (state.pollAbort) state.pollAbort.abort();
  const ac = new AbortController();
  state.pollAbort = ac;
  const gen = ++state.pollGen;
  pollLoop(gen, state.currentId, ac.signal);
}

function onPollError(err) {
  if (err instanceof ApiError && err.status === undefined) {
    setConnected(false);
    showError('Lost connection to the local server — retrying…', 'poll');
  } else {
    setConnected(true);
    showError(err instanceof Error ? err.message : String(err), 'poll');
  }
}

function onPollOk() {
  setConnected(true);
  clearError('poll');
  clearError('network'); // "cannot reach the server" from a send is stale now
}

async function pollLoop(gen, chatId, signal) {
  const alive = () => gen === state.pollGen && !signal.aborted;
  // Take a full snapshot first, and again after every error (the server may have
  // restarted with a fresh store), then long-poll for changes.
  let needSync = true;
  while (alive()) {
    try {
      if (needSync) {
        const snap = await fetchSnapshot(chatId, signal);
        if (!alive()) return;
        applySnapshot(chatId, snap, true);
        needSync = false;
        onPollOk();
        continue;
      }
      const after = getChat(chatId).revision;
      const started = Date.now();
      let snap = null;
      try {
        snap = await api(API.wait(chatId, after), { signal });
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
        // Chat does not exist on the server yet: poll slowly without bothering the user.
        await sleep(RETRY_MS, signal);
      }
      if (!alive()) return;
      onPollOk();
      if (snap) {
        const rev = Number(snap.revision);
        // A revision lower than `after` means the server restarted: take its state as is.
        const used = applySnapshot(chatId, snap, Number.isFinite(rev) && rev < after);
        // Guard against a server that answers at once without a change.
        if (!used && Date.now() - started < 500) await sleep(1000, signal);
      }
    } catch (err) {
      if (!alive()) return;
      onPollError(err);
      needSync = true;
      await sleep(RETRY_MS, signal);
    }
  }
}

async function refreshChat(chatId) {
  try {
    const snap = await fetchSnapshot(chatId);
    applySnapshot(chatId, snap, false);
  } catch {
    // the long-poll loop will bring the state later
  }
}

// ---------------------------------------------------------------------------
// Sending updates
// ---------------------------------------------------------------------------

let queue = Promise.resolve();
/** Updates are posted one at a time, in order, like Telegram delivers them. */
function enqueue(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

function nowUnix() {
  return Math.floor(Date.now() / 1000);
}

function tgFrom(u) {
  return { id: u.id, is_bot: false, first_name: u.firstName, language_code: u.lc };
}

function randomId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes); // works on plain-http LAN addresses too, unlike randomUUID
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function handleCalls(calls) {
  if (!Array.isArray(calls)) return;
  for (const call of calls) {
    if (!call || call.method !== 'answerCallbackQuery') continue;
    const p = call.payload || {};
    if (typeof p.text === 'string' && p.text !== '') {
      if (p.show_alert) showAlert(p.text);
      else showToast(p.text);
    }
  }
}

async function postUpdate(chatId, update) {
  state.inflight++;
  updateStatusLine();
  try {
    const res = await api(API.updates, { method: 'POST', body: update });
    if (res.ok === false) {
      showError(typeof res.error === 'string' && res.error ? res.error : 'The local server rejected the update.');
    } else {
      clearError('request');
      clearError('network');
    }
    handleCalls(res.calls);
    return true;
  } catch (err) {
    const network = err instanceof ApiError && err.status === undefined;
    showError(err instanceof Error ? err.message : String(err), network ? 'network' : 'request');
    return network ? 'network' : false;
  } finally {
    state.inflight--;
    updateStatusLine();
    await refreshChat(chatId);
  }
}

let pendingSeq = 0;

function sendText(rawText) {
  const text = rawText.trim();
  if (!text) return;
  const user = currentUser();
  const chatId = user.id;
  const message = {
    message_id: 0,
    date: nowUnix(),
    chat: { id: user.id, type: 'private', first_name: user.firstName },
    from: tgFrom(user),
    text,
  };
  if (text.startsWith('/')) {
    const cmd = /^\/\S*/.exec(text)[0];
    message.entities = [{ type: 'bot_command', offset: 0, length: cmd.length }];
  }
  const pending = { key: `p:${++pendingSeq}`, text, date: message.date };
  getPending(chatId).push(pending);
  if (chatId === state.currentId) render();

  return enqueue(async () => {
    const result = await postUpdate(chatId, { message });
    const list = getPending(chatId);
    const i = list.indexOf(pending);
    if (i >= 0) list.splice(i, 1);
    if (chatId === state.currentId) {
      render();
      // The message never reached the server: give the text back so it can be resent.
      if (result === 'network' && dom.input.value.trim() === '') {
        dom.input.value = text;
        autosize();
      }
    }
  });
}

/**
 * Attaches a file as Telegram would deliver it: the bytes go to the local Bot API
 * stand-in (which keeps them in memory), and the message carries only the file id.
 * The text in the box, if any, becomes the caption.
 */
async function sendFile(file) {
  if (!file) return;
  const user = currentUser();
  const chatId = user.id;
  let uploaded;
  try {
    const res = await fetch('/local/files', { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file });
    uploaded = await res.json();
    if (!res.ok) throw new Error(uploaded?.error || `HTTP ${res.status}`);
  } catch (err) {
    showError(err instanceof Error ? err.message : String(err));
    return;
  }
  const caption = dom.input.value.trim();
  dom.input.value = '';
  autosize();
  const media =
    uploaded.kind === 'photos'
      ? { photo: [{ file_id: uploaded.file_id, file_unique_id: uploaded.file_id, width: 800, height: 600, file_size: file.size }] }
      : uploaded.kind === 'voice'
        ? { voice: { file_id: uploaded.file_id, file_unique_id: uploaded.file_id, duration: 1, mime_type: 'audio/ogg' } }
        : { document: { file_id: uploaded.file_id, file_unique_id: uploaded.file_id, file_name: file.name, mime_type: file.type } };
  const message = {
    message_id: 0,
    date: nowUnix(),
    chat: { id: user.id, type: 'private', first_name: user.firstName },
    from: tgFrom(user),
    ...media,
    ...(caption ? { caption } : {}),
  };
  return enqueue(() => postUpdate(chatId, { message }));
}

function pressCallback(button) {
  const row = button.closest('.msg');
  const messageId = Number(row?.dataset.msgId);
  if (!Number.isFinite(messageId)) return;
  const user = currentUser();
  const chatId = user.id;
  const update = {
    callback_query: {
      id: randomId(),
      from: tgFrom(user),
      chat_instance: 'local',
      data: button.dataset.cb,
      message: { message_id: messageId, date: 0, chat: { id: chatId, type: 'private' } },
    },
  };
  button.classList.add('kb-btn--loading');
  button.setAttribute('aria-busy', 'true');
  enqueue(async () => {
    await postUpdate(chatId, update);
    // The button may have been replaced by an edit; if not, clear its spinner.
    button.classList.remove('kb-btn--loading');
    button.removeAttribute('aria-busy');
  });
}

// ---------------------------------------------------------------------------
// Users UI
// ---------------------------------------------------------------------------

function renderUserSelect() {
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

function resetRendered() {
  rendered.clear();
  dom.messages.replaceChildren();
}

function switchUser(id) {
  if (!state.users.some((u) => u.id === id)) return;
  state.currentId = id;
  storageSet(LS_CURRENT, String(id));
  dom.userSelect.value = String(id);
  clearError('request');
  resetRendered();
  render();
  startPolling();
}

function resetView() {
  const chatId = state.currentId;
  state.chats.delete(chatId);
  clearError();
  resetRendered();
  render();
  startPolling();
}

function openAddUser() {
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
    if (!name || !name.trim()) return;
    const lc = (window.prompt(`Language code (${LANGS.join(' ')})`, 'ru') || 'ru').trim();
    addUser(name, LANGS.includes(lc) ? lc : 'ru');
  }
}

function addUser(name, lc) {
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

function autosize() {
  const el = dom.input;
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
}

function submitComposer() {
  const text = dom.input.value;
  if (!text.trim()) return;
  dom.input.value = '';
  autosize();
  sendText(text);
}

// ---------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------

function wire() {
  dom.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    submitComposer();
    dom.input.focus();
  });
  dom.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitComposer();
    }
  });
  dom.input.addEventListener('input', autosize);
  dom.attachBtn.addEventListener('click', () => dom.attachInput.click());
  dom.attachInput.addEventListener('change', () => {
    const file = dom.attachInput.files?.[0];
    dom.attachInput.value = '';
    sendFile(file);
  });

  dom.commands.addEventListener('click', (e) => {
    const btn = e.target.closest('[data-command]');
    if (btn) sendText(btn.dataset.command);
  });

  dom.messages.addEventListener('click', (e) => {
    const cmd = e.target.closest('[data-command]');
    if (cmd) {
      sendText(cmd.dataset.command);
      return;
    }
    const cb = e.target.closest('button.kb-btn[data-cb]');
    if (cb) {
      if (!cb.classList.contains('kb-btn--loading')) pressCallback(cb);
      return;
    }
    const spoiler = e.target.closest('.tg-spoiler');
    if (spoiler && !spoiler.classList.contains('tg-spoiler--revealed')) {
      e.preventDefault();
      revealSpoiler(spoiler);
    }
  });
  dom.messages.addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && e.target.classList?.contains('tg-spoiler')) {
      e.preventDefault();
      revealSpoiler(e.target);
    }
  });

  dom.userSelect.addEventListener('change', () => switchUser(Number(dom.userSelect.value)));
  dom.addUserBtn.addEventListener('click', openAddUser);
  dom.resetViewBtn.addEventListener('click', resetView);
  dom.errorClose.addEventListener('click', () => clearError());

  dom.addCancel.addEventListener('click', () => dom.addDialog.close());
  dom.addForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = dom.addName.value.trim();
    if (!name) {
      dom.addError.textContent = 'Please enter a first name.';
      dom.addName.setAttribute('aria-invalid', 'true');
      dom.addName.focus();
      return;
    }
    const lc = LANGS.includes(dom.addLang.value) ? dom.addLang.value : 'ru';
    dom.addDialog.close();
    addUser(name, lc);
    dom.input.focus();
  });
  dom.addName.addEventListener('input', () => {
    dom.addError.textContent = '';
    dom.addName.removeAttribute('aria-invalid');
  });
}

function revealSpoiler(el) {
  el.classList.add('tg-spoiler--revealed');
  el.setAttribute('aria-pressed', 'true');
  el.removeAttribute('role');
  el.removeAttribute('tabindex');
  el.removeAttribute('title');
}

async function loadBotInfo() {
  try {
    const info = await api(API.info);
    const bot = info && info.bot;
    if (bot && typeof bot === 'object') {
      state.bot = {
        id: Number(bot.id) || 0,
        username: typeof bot.username === 'string' ? bot.username : '',
        first_name: typeof bot.first_name === 'string' && bot.first_name ? bot.first_name : 'Pravo',
      };
    }
  } catch (err) {
    showError(`Could not load bot info: ${err instanceof Error ? err.message : String(err)}`, 'info');
  }
  const name = botDisplayName();
  dom.botName.textContent = name;
  dom.botAvatar.textContent = Array.from(name)[0]?.toUpperCase() || 'P';
  dom.botUsername.textContent = state.bot.username ? `@${state.bot.username}` : 'local bot';
  // Bot name is part of rendered messages (screen-reader prefix): refresh if it changed.
  render();
}

/**
 * `/?flow=<id>` (the console's "Try this flow"): opens that flow for the current
 * user, as if they had pressed its button. A user who has not agreed yet gets the
 * consent screen first, as in Telegram.
 */
function openFlowFromUrl() {
  const flow = new URLSearchParams(location.search).get('flow');
  if (!flow || !/^[a-z0-9-]{1,16}$/.test(flow)) return;
  const user = currentUser();
  const update = {
    callback_query: {
      id: randomId(),
      from: tgFrom(user),
      chat_instance: 'local',
      data: `f:${flow}`,
      message: { message_id: 1, date: 0, chat: { id: user.id, type: 'private' } },
    },
  };
  history.replaceState(null, '', location.pathname);
  enqueue(() => postUpdate(user.id, update));
}

function init() {
  saveUsers();
  renderUserSelect();
  wire();
  watchScroll();
  updateStatusLine();
  render();
  startPolling();
  loadBotInfo();
  openFlowFromUrl();
}

init();
