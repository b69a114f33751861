import { clearError, setConnected, showError } from './banners.js';
import { ApiError, api, sleep } from './http.js';
import { API, RETRY_MS } from './page.js';
import { normalizeMessage, render } from './render.js';
import { getChat, state } from './state.js';

// ---------------------------------------------------------------------------
// Chat snapshots and long polling
// ---------------------------------------------------------------------------

/** Applies a chat snapshot. Returns true if it was used. */
export function applySnapshot(chatId, snap, force) {
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

export const EMPTY_SNAPSHOT = { revision: 0, messages: [] };

export async function fetchSnapshot(chatId, signal?: AbortSignal) {
  try {
    return await api(API.chat(chatId), { signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return EMPTY_SNAPSHOT; // chat not created yet
    throw err;
  }
}

export function startPolling() {
  if (state.pollAbort) state.pollAbort.abort();
  const ac = new AbortController();
  state.pollAbort = ac;
  const gen = ++state.pollGen;
  pollLoop(gen, state.currentId, ac.signal);
}

export function onPollError(err) {
  if (err instanceof ApiError && err.status === undefined) {
    setConnected(false);
    showError('Lost connection to the local server — retrying…', 'poll');
  } else {
    setConnected(true);
    showError(err instanceof Error ? err.message : String(err), 'poll');
  }
}

export function onPollOk() {
  setConnected(true);
  clearError('poll');
  clearError('network'); // "cannot reach the server" from a send is stale now
}

export async function pollLoop(gen, chatId, signal) {
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
      let snap: any = null;
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

export async function refreshChat(chatId) {
  try {
    const snap = await fetchSnapshot(chatId);
    applySnapshot(chatId, snap, false);
  } catch {
    // the long-poll loop will bring the state later
  }
}
