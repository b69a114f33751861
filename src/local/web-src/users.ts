import { DEFAULT_USERS, FIRST_USER_ID, LS_USERS } from './page.js';
import { state } from './state.js';

// ---------------------------------------------------------------------------
// Simulated users (localStorage)
// ---------------------------------------------------------------------------

export function storageGet(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function storageSet(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // storage disabled (private mode etc.) — the page still works for this session
  }
}

export function normalizeUser(u) {
  if (!u || typeof u !== 'object') return null;
  const id = Number(u.id);
  const firstName = typeof u.firstName === 'string' ? u.firstName.trim().slice(0, 64) : '';
  if (!Number.isSafeInteger(id) || id <= 0 || !firstName) return null;
  const lc = typeof u.lc === 'string' && /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})?$/.test(u.lc) ? u.lc : 'ru';
  return { id, firstName, lc };
}

export function loadUsers() {
  const raw = storageGet(LS_USERS);
  if (raw) {
    try {
      const parsed = JSON.parse(raw);
      if (Array.isArray(parsed)) {
        const seen = new Set();
        const users: { id: number; firstName: string; lc: string }[] = [];
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

export function saveUsers() {
  storageSet(LS_USERS, JSON.stringify(state.users));
}

export function nextFreeUserId() {
  const used = new Set(state.users.map((u) => u.id));
  let id = FIRST_USER_ID;
  while (used.has(id)) id++;
  return id;
}
