import { clearError, showAlert, showError, showToast, updateStatusLine } from './banners.js';
import { ApiError, api } from './http.js';
import { API, dom } from './page.js';
import { render } from './render.js';
import { currentUser, getPending, state } from './state.js';
import { refreshChat } from './sync.js';
import { autosize } from './users-ui.js';

// ---------------------------------------------------------------------------
// Sending updates
// ---------------------------------------------------------------------------

export let queue = Promise.resolve();
/** Updates are posted one at a time, in order, like Telegram delivers them. */
export function enqueue(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

export function nowUnix() {
  return Math.floor(Date.now() / 1000);
}

export function tgFrom(u) {
  return { id: u.id, is_bot: false, first_name: u.firstName, language_code: u.lc };
}

export function randomId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes); // works on plain-http LAN addresses too, unlike randomUUID
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function handleCalls(calls) {
  if (!Array.isArray(calls)) return;
  for (const call of calls) {
    if (call?.method !== 'answerCallbackQuery') continue;
    const p = call.payload || {};
    if (typeof p.text === 'string' && p.text !== '') {
      if (p.show_alert) showAlert(p.text);
      else showToast(p.text);
    }
  }
}

export async function postUpdate(chatId, update) {
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

export let pendingSeq = 0;

export function sendText(rawText) {
  const text = rawText.trim();
  if (!text) return;
  const user = currentUser();
  const chatId = user.id;
  const message: Record<string, unknown> & { date: number } = {
    message_id: 0,
    date: nowUnix(),
    chat: { id: user.id, type: 'private', first_name: user.firstName },
    from: tgFrom(user),
    text,
  };
  if (text.startsWith('/')) {
    const cmd = /^\/\S*/.exec(text)![0];
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
export async function sendFile(file) {
  if (!file) return;
  const user = currentUser();
  const chatId = user.id;
  let uploaded: { file_id: string; file_path: string; kind: string; error?: string };
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

export function pressCallback(button: HTMLElement) {
  const row = button.closest<HTMLElement>('.msg');
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
