/**
 * Pravo's web app: the same bot as in Telegram, for people who cannot reach
 * Telegram. State lives here, in one object; views render from it. The session
 * secret is an HttpOnly cookie this code never sees; the phone keeps only the
 * texts, the offline data, the chat id and the recovery code.
 */
import { ApiError, type AppStrings, api, type OfflineData, setApiLanguage, type WebMessage } from './api.js';
import { cardView } from './card-view.js';
import { createChatView } from './chat-view.js';
import { h, mount } from './h.js';
import { getStrings, guessLanguage, LANGUAGES, language, setLanguage, setStrings, t } from './i18n.js';
import { load, save } from './store.js';

type View = 'chat' | 'card' | 'more';

const state = {
  chatId: load<number>('chatId'),
  recoveryCode: load<string>('recovery'),
  showRecovery: false,
  rev: 0,
  messages: new Map<number, WebMessage>(),
  view: 'chat' as View,
  online: navigator.onLine,
  offline: load<OfflineData>('offline'),
  cardLang: '',
  error: '',
  /** The bot's short notice after a button press (Telegram's toast), shown for a moment. */
  notice: '',
  pushNote: '',
};

const root = document.getElementById('app')!;
let chat = createChatView({ send, press });
let poll: AbortController | undefined;

function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message || t(err.key.replace(/^webapp\./, ''));
  return t('errors.generic');
}

function showError(err: unknown) {
  state.error = errorText(err);
  renderStatus();
}

// ---- rendering ---------------------------------------------------------------

const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
const main = h('main', { id: 'main', class: 'main' });

function renderStatus() {
  mount(
    status,
    !state.online && h('p', { class: 'banner banner--offline' }, t('offline')),
    state.error && h('p', { class: 'banner banner--error', role: 'alert' }, state.error),
    state.notice && h('p', { class: 'banner banner--notice' }, state.notice),
  );
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** Shows the bot's notices for a few seconds (a toast in Telegram). */
function showNotices(notices: string[] | undefined) {
  if (!notices?.length) return;
  state.notice = notices.join(' ');
  renderStatus();
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    state.notice = '';
    renderStatus();
  }, 4000);
}

function languageSelect(id: string, onChange: (lng: string) => void) {
  const select = h('select', { id, onchange: ((e: Event) => onChange((e.target as HTMLSelectElement).value)) as EventListener });
  for (const l of getStrings()?.languages ?? LANGUAGES.map((code) => ({ code, name: code }))) {
    select.append(h('option', { value: l.code, selected: l.code === language(), lang: l.code }, l.name));
  }
  return select;
}

function tab(view: View, label: string) {
  return h(
    'button',
    {
      type: 'button',
      class: 'tab',
      'aria-current': state.view === view ? 'page' : null,
      'data-view': view,
      onclick: (() => {
        state.view = view;
        render();
      }) as EventListener,
    },
    label,
  );
}

function render() {
  document.title = t('title');
  const header = h(
    'header',
    { class: 'top' },
    h('h1', { class: 'brand' }, t('title')),
    h('nav', { class: 'tabs', 'aria-label': 'Pravo' }, tab('chat', state.chatId ? t('chat') : t('start')), tab('card', t('card')), tab('more', t('more'))),
  );
  renderStatus();
  let body: HTMLElement;
  if (state.view === 'card') {
    body = cardView(state.offline, state.cardLang || language(), (lng) => {
      state.cardLang = lng;
      render();
    });
  } else if (state.view === 'more') body = moreView();
  else if (!state.chatId) body = welcomeView();
  else body = h('div', { class: 'chat-wrap' }, state.showRecovery ? recoveryPanel() : null, chat.element);
  mount(main, body);
  mount(root, header, status, main);
}

function recoveryPanel() {
  return h(
    'section',
    { class: 'recovery', 'aria-labelledby': 'recovery-title' },
    h('h2', { id: 'recovery-title' }, t('recovery.title')),
    h('p', { class: 'code', 'data-testid': 'recovery-code' }, state.recoveryCode ?? ''),
    h('p', { class: 'hint' }, t('recovery.hint')),
    h(
      'button',
      {
        type: 'button',
        class: 'btn',
        onclick: (() => {
          state.showRecovery = false;
          render();
          chat.focus();
        }) as EventListener,
      },
      t('recovery.done'),
    ),
  );
}

function welcomeView() {
  const code = h('input', { id: 'recovery-input', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 40, placeholder: 'XXXX-XXXX-XXXX' });
  const recover = h(
    'form',
    {
      class: 'recover-form',
      onsubmit: ((e: Event) => {
        e.preventDefault();
        void recoverSession(code.value);
      }) as EventListener,
    },
    h('label', { for: 'recovery-input' }, t('recovery.enter')),
    code,
    h('button', { type: 'submit', class: 'btn btn--ghost' }, t('recovery.submit')),
  );
  return h(
    'section',
    { class: 'welcome' },
    h('p', { class: 'intro' }, t('intro')),
    h('label', { for: 'welcome-lang', class: 'inline-label' }, t('choose-language')),
    languageSelect('welcome-lang', changeLanguage),
    h('button', { type: 'button', class: 'btn btn--primary', id: 'start', onclick: (() => void startSession()) as EventListener }, t('start')),
    h('details', {}, h('summary', {}, t('have-code')), recover),
  );
}

function moreView() {
  const section = h('section', { class: 'more' });
  section.append(h('label', { for: 'more-lang', class: 'inline-label' }, t('choose-language')), languageSelect('more-lang', changeLanguage));
  if (state.chatId) {
    if (state.recoveryCode) {
      section.append(h('h2', {}, t('recovery.title')), h('p', { class: 'code' }, state.recoveryCode), h('p', { class: 'hint' }, t('recovery.hint')));
    }
    if ('PushManager' in window && 'serviceWorker' in navigator) {
      section.append(h('button', { type: 'button', class: 'btn', onclick: (() => void enablePush()) as EventListener }, t('push.enable')));
      if (state.pushNote) section.append(h('p', { class: 'hint', role: 'status' }, state.pushNote));
    }
    section.append(
      h('button', { type: 'button', class: 'btn btn--ghost', onclick: (() => void signOut()) as EventListener }, t('sign-out')),
      h('p', { class: 'hint' }, t('sign-out-hint')),
    );
  }
  return section;
}

// ---- actions -----------------------------------------------------------------

function apply(changes: { rev: number; messages: WebMessage[] }) {
  if (changes.rev < state.rev) {
    // The server's chat is older than ours (it was cleared): start over from it.
    state.messages.clear();
    chat.clear();
  }
  state.rev = changes.rev;
  for (const m of changes.messages) {
    if (m.deleted) state.messages.delete(m.id);
    else state.messages.set(m.id, m);
  }
  chat.apply(changes.messages);
  if (changes.messages.some((m) => m.from === 'bot')) scheduleOfflineRefresh();
}

async function send(text: string): Promise<boolean> {
  try {
    state.error = '';
    apply(await api.send(text, state.rev));
    renderStatus();
    return true;
  } catch (err) {
    handleFailure(err);
    return false;
  }
}

async function press(messageId: number, data: string) {
  try {
    state.error = '';
    const changes = await api.press(messageId, data, state.rev);
    apply(changes);
    renderStatus();
    showNotices(changes.notices);
  } catch (err) {
    handleFailure(err);
  }
}

function handleFailure(err: unknown) {
  if (err instanceof ApiError && err.status === 401) return lostSession(err);
  if (err instanceof ApiError && err.status === 0) setOnline(false);
  showError(err);
}

function lostSession(err?: unknown) {
  poll?.abort();
  state.chatId = undefined;
  state.rev = 0;
  state.messages.clear();
  chat.clear();
  save('chatId', undefined);
  state.view = 'chat';
  render();
  if (err) showError(err);
}

async function startSession() {
  try {
    const created = await api.start(language());
    enterChat(created.chatId, created.recoveryCode);
    state.showRecovery = true;
    render();
  } catch (err) {
    handleFailure(err);
  }
}

async function recoverSession(code: string) {
  try {
    const found = await api.recover(code);
    enterChat(found.chatId, code.trim().toUpperCase());
    render();
  } catch (err) {
    handleFailure(err);
  }
}

function enterChat(chatId: number, recoveryCode: string) {
  state.chatId = chatId;
  state.recoveryCode = recoveryCode;
  state.error = '';
  state.view = 'chat';
  save('chatId', chatId);
  save('recovery', recoveryCode);
  void startPolling();
}

async function signOut() {
  try {
    await api.signOut();
  } catch {
    // Signed out here anyway: the server forgets the device when it idles out.
  }
  save('recovery', undefined);
  save('offline', undefined);
  state.recoveryCode = undefined;
  state.offline = undefined;
  lostSession();
}

function changeLanguage(lng: string) {
  setLanguage(lng);
  setApiLanguage(lng);
  save('lang', lng);
  state.cardLang = '';
  chat = createChatView({ send, press });
  chat.apply([...state.messages.values()]);
  render();
  if (state.chatId) api.language(lng).then((r) => showNotices(r.notices), handleFailure);
}

function setOnline(online: boolean) {
  if (state.online === online) return;
  state.online = online;
  if (online && state.error === t('errors.network')) state.error = '';
  renderStatus();
}

async function startPolling() {
  poll?.abort();
  const ctrl = new AbortController();
  poll = ctrl;
  let delay = 1000;
  let first = true;
  while (!ctrl.signal.aborted && state.chatId) {
    try {
      apply(await api.messages(state.rev, !first, ctrl.signal));
      first = false;
      delay = 1000;
      setOnline(true);
    } catch (err) {
      if (ctrl.signal.aborted) return;
      if (err instanceof ApiError && err.status === 401) return lostSession(err);
      if (err instanceof ApiError && err.status === 0) setOnline(false);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

let offlineTimer: ReturnType<typeof setTimeout> | undefined;
/** Keeps the hot lines and dates on the phone fresh, a moment after the bot said something. */
function scheduleOfflineRefresh() {
  clearTimeout(offlineTimer);
  offlineTimer = setTimeout(async () => {
    try {
      state.offline = await api.offline();
      save('offline', state.offline);
      if (state.view === 'card') render();
    } catch {
      // Kept from last time.
    }
  }, 1500);
}

function urlBase64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const padded = (base64 + '='.repeat((4 - (base64.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

async function enablePush() {
  try {
    const { enabled, publicKey } = await api.pushKey();
    if (!enabled || !publicKey) state.pushNote = t('push.unavailable');
    else if ((await Notification.requestPermission()) !== 'granted') state.pushNote = t('push.denied');
    else {
      const reg = await navigator.serviceWorker.ready;
      const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToBytes(publicKey) }));
      await api.pushSubscribe(sub.toJSON());
      state.pushNote = t('push.on');
    }
  } catch (err) {
    state.pushNote = err instanceof ApiError ? errorText(err) : t('push.unavailable');
  }
  render();
}

// ---- start -------------------------------------------------------------------

async function boot() {
  const lng = load<string>('lang') ?? guessLanguage();
  setLanguage(lng);
  setApiLanguage(lng);
  setStrings(load<AppStrings>('strings'));
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {});
  window.addEventListener('online', () => {
    setOnline(true);
    if (state.chatId) void startPolling();
  });
  window.addEventListener('offline', () => setOnline(false));
  try {
    const strings = await api.strings();
    setStrings(strings);
    save('strings', strings);
  } catch {
    // Offline: the cached texts (or the service worker's copy) serve.
    setOnline(false);
  }
  chat = createChatView({ send, press });
  // With no connection, the first thing a detained person needs is the rights card.
  if (!state.online) state.view = 'card';
  render();
  if (state.chatId && state.online) {
    try {
      await api.session();
      void startPolling();
      scheduleOfflineRefresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) lostSession(err);
      else {
        setOnline(false);
        state.view = 'card';
        render();
        void startPolling();
      }
    }
  }
}

void boot();
