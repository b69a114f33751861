

/**
 * Pravo lawyers' console: a plain ES module, no framework, no build step.
 * Talks only to the same-origin admin API with the token the lawyer pasted.
 * Every piece of user-supplied text is put into the page with textContent
 * (through `h()` / `text()` below), never as HTML.
 */

export const API = '/api';
export const TOKEN_KEY = 'pravo.console.token';
export const LANG_KEY = 'pravo.console.lang';
export const FILTERS_KEY = 'pravo.console.filters';
export const POLL_MS = 5000;
export const PAGE_SIZE = 20;
export const MAX_PAGE = 100;
export const MAX_TEXT = 3500;
export const LANGUAGES = ['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en'];
export const STATUSES = ['open', 'claimed', 'closed', 'withdrawn'];
export const ACTIVE = 'open,claimed';
export const KNOWN_TOPICS = ['detention', 'patent', 'registration', 'status', 'general'];
export const WORK_ROLES = ['lawyer', 'admin'];
export const ALERT_POLL_MS = 2000;
/** The server keeps room for the "corrected" mark in a 4096-character message. */
export const ALERT_MAX_TEXT = 3900;
export const ALERT_STEPS = ['draft', 'approved', 'sending', 'done'];
export const ALERT_AUTHORS = ['staff', 'admin'];
export const ALERT_REVIEWERS = ['lawyer', 'admin'];
export const CITIZENSHIPS = ['uz', 'tj', 'kg', 'kz', 'az', 'md', 'am', 'by', 'other'];
export const ALERT_TOPICS = ['patent', 'registration', 'status', 'general'];
export const RECIPIENT_STATUSES = ['pending', 'sent', 'blocked', 'failed', 'cancelled'];
export const RECIPIENTS_MAX = 1000;
/** Mermaid is served from our own server: no outside hosts. */
export const MERMAID_SRC = '/console/vendor/mermaid.min.js';
