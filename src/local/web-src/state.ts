import { LS_CURRENT } from './page.js';
import { loadUsers, storageGet } from './users.js';

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/** Everything the chat page remembers, in one place. */
export const state: {
  bot: { id: number; username: string; first_name: string };
  users: { id: number; firstName: string; lc: string }[];
  currentId: number;
  /** chatId → { revision, messages, loaded } */
  chats: Map<number, { revision: number; messages: any[]; loaded: boolean }>;
  /** chatId → user messages on their way to the server. */
  pending: Map<number, { key: string; text: string; date: number }[]>;
  pollGen: number;
  pollAbort: AbortController | null;
  inflight: number;
  connected: boolean | null;
} = {
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

export function currentUser() {
  return state.users.find((u) => u.id === state.currentId) || state.users[0];
}

export function getChat(chatId) {
  let chat = state.chats.get(chatId);
  if (!chat) {
    chat = { revision: 0, messages: [], loaded: false };
    state.chats.set(chatId, chat);
  }
  return chat;
}

export function getPending(chatId) {
  let list = state.pending.get(chatId);
  if (!list) {
    list = [];
    state.pending.set(chatId, list);
  }
  return list;
}
