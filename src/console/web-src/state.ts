import type { CaseDetail, CaseDto, Me, Template } from './api-types.js';
import { ACTIVE, FILTERS_KEY, KNOWN_TOPICS, LANG_KEY, TOKEN_KEY } from './constants.js';

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

export type Lang = 'ru' | 'en';
export type Filters = ReturnType<typeof defaultFilters>;

/** The open case: its data and what the lawyer has seen of it. */
export interface CurrentCase {
  id: number;
  data: CaseDetail | null;
  sig: string;
  seq: number;
  newMsgIds: Set<number>;
}

export interface Route {
  page: string;
  caseId: number | null;
  alertId: number | null;
  alertMode: string | null;
  explicit?: boolean;
}

/** The reply's translation being prepared (see case-actions.ts). */
export interface TranslationDraft {
  caseId: number;
  source: string;
  machine: string | null;
  error: string | null;
  fromTemplate?: boolean;
}

/** Everything the console remembers, in one place. */
export interface State {
  lang: Lang;
  token: string | null;
  me: Me | null;
  route: Route;
  filters: Filters;
  queue: { items: CaseDto[]; nextCursor: string | undefined; loaded: boolean; loading: boolean; seq: number; sig: string };
  knownCaseIds: Set<number>;
  newCaseIds: Set<number>;
  topics: Set<string>;
  current: CurrentCase | null;
  /** caseId → highest message id seen. */
  seenMessage: Map<number, number>;
  /** caseId → drafts not sent yet. */
  drafts: Map<number, { reply: string; note: string }>;
  /** attachment url → blob URL while its case is open. */
  attachmentUrls: Map<string, { url: string }>;
  translationDraft: TranslationDraft | null;
  templatesByLang: Map<string, Promise<Template[]>>;
  templates: { items: Template[]; editingId: number | null; confirmingId: number | null };
  stats: any;
  statsSig: string;
  alerts: AlertsState;
  flows: {
    items: any[];
    loaded: boolean;
    loading: boolean;
    /** flow id → its drawn diagram (or why it could not be drawn). */
    svgs: Map<string, { text: string; svg?: string; error?: string }>;
    actual: Set<string>;
    seq: number;
    drawing?: boolean;
    redraw?: boolean;
    renderSeq?: number;
  };
  /** null: not checked yet; true/false: local mode (the chat page and /local routes exist). */
  local: boolean | null;
  localCheck: Promise<unknown> | null;
  errorSource: string | null;
  polling: boolean;
  pollTimer: ReturnType<typeof setTimeout> | undefined;
  noticeTimer: ReturnType<typeof setTimeout> | undefined;
  staffNames?: Map<number, string>;
}

export interface AlertsState {
  items: any[];
  loaded: boolean;
  sig: string;
  seq: number;
  /** The open alert: { id, data, sig, progressSig, seq, audience }. */
  current: any;
  /** See openEditor(). */
  editor: any;
  /** 'new' | 'edit:12' | 'correct:12' → editor values not saved yet. */
  drafts: Map<string, any>;
  pollTimer: ReturnType<typeof setTimeout> | undefined;
  recipients: { status: string; seq: number; sig: string; rows?: any[] };
}

export const state: State = {
  lang: loadLang(),
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null,
  route: { page: 'queue', caseId: null, alertId: null, alertMode: null },
  filters: loadFilters(),
  queue: { items: [], nextCursor: undefined, loaded: false, loading: false, seq: 0, sig: '' },
  knownCaseIds: new Set(),
  newCaseIds: new Set(),
  topics: new Set(KNOWN_TOPICS),
  current: null,
  seenMessage: new Map(),
  drafts: new Map(),
  attachmentUrls: new Map(),
  translationDraft: null,
  templatesByLang: new Map(),
  templates: { items: [], editingId: null, confirmingId: null },
  stats: null,
  statsSig: '',
  alerts: newAlertsState(),
  flows: { items: [], loaded: false, loading: false, svgs: new Map(), actual: new Set(), seq: 0 },
  local: null,
  localCheck: null,
  errorSource: null,
  polling: false,
  pollTimer: undefined,
  noticeTimer: undefined,
};

export function newAlertsState(): AlertsState {
  return {
    items: [],
    loaded: false,
    sig: '',
    seq: 0,
    current: null,
    editor: null,
    drafts: new Map(),
    pollTimer: undefined,
    recipients: { status: '', seq: 0, sig: '' },
  };
}

export function loadLang(): Lang {
  try {
    const l = localStorage.getItem(LANG_KEY);
    return l === 'en' || l === 'ru' ? l : 'ru';
  } catch {
    return 'ru';
  }
}

export function defaultFilters() {
  return { status: ACTIVE, priority: '', language: '', topic: '', assignee: '', q: '' };
}

export function loadFilters() {
  try {
    const f = JSON.parse(sessionStorage.getItem(FILTERS_KEY) || 'null');
    if (f && typeof f === 'object') return { ...defaultFilters(), ...f };
  } catch {}
  return defaultFilters();
}
