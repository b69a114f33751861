/**
 * An in-process stand-in for the Telegram Bot API, plugged into grammY as its
 * `fetch`. Local mode uses it to run the real bot without Telegram; tests use it to
 * see every call the bot makes and to make Telegram fail (429, 403, 5xx) on demand.
 * It checks what Telegram checks (HTML, lengths, 64-byte callback data), so a
 * message Telegram would reject fails here too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { checkTelegramHtml, escapeHtml } from '../lib/telegram-html.js';

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

export interface ChatButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/** A file the bot sent (sendDocument): the chat shows it with a link to download it. */
export interface ChatDocument {
  fileId: string;
  fileName: string;
  mimeType: string;
  size: number;
}

export interface ChatMessage {
  id: number;
  from: 'user' | 'bot';
  html: string;
  date: number;
  edited: boolean;
  buttons: ChatButton[][];
  /** A document sent by the bot; `html` is then its caption (may be empty). */
  document?: ChatDocument;
}

/** A file part of a multipart Bot API call, as sent (sendDocument). */
export interface UploadedFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Telegram's limit for a caption. */
const MAX_CAPTION = 1024;
/** Telegram's limit for a file a bot uploads by multipart. */
const MAX_BOT_UPLOAD = 50 * 1024 * 1024;

/**
 * Reads a multipart/form-data body (grammY sends files this way) into a payload: text
 * fields as grammY wrote them (JSON for objects), `attach://<name>` resolved to the file part.
 */
export async function readMultipart(body: unknown, contentType: string): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  if (body instanceof Uint8Array) chunks.push(body);
  else if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } else throw new ApiFailure(400, 'Bad Request: unreadable request body');
  const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (!boundary) throw new ApiFailure(400, 'Bad Request: multipart body without a boundary');
  const files = new Map<string, UploadedFile>();
  const fields: Record<string, unknown> = {};
  for (const part of splitMultipart(Buffer.concat(chunks), boundary)) {
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(part.disposition)?.[1];
    if (!name) continue;
    // grammY writes `filename=a.pdf` unquoted; browsers quote it.
    const fileMatch = /;\s*filename=(?:"([^"]*)"|([^;]+))/i.exec(part.disposition);
    const filename = fileMatch ? (fileMatch[1] ?? fileMatch[2] ?? '').trim() : undefined;
    if (filename === undefined) {
      const value = part.body.toString('utf8');
      fields[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
      continue;
    }
    const file: UploadedFile = { name: filename || name, type: part.type || 'application/octet-stream', bytes: new Uint8Array(part.body) };
    // The recorded call (and POST /local/updates' answer) shows the file's name and size, not its bytes.
    Object.defineProperty(file, 'toJSON', { value: () => ({ file_name: file.name, mime_type: file.type, file_size: file.bytes.byteLength }) });
    files.set(name, file);
  }
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' && value.startsWith('attach://')) fields[key] = files.get(value.slice('attach://'.length));
  }
  return fields;
}

/**
 * The parts of a multipart/form-data body: each part's Content-Disposition, Content-Type
 * and bytes. (Node 20's `Response.formData()` refuses grammY's bodies, so we read them here.)
 */
export function splitMultipart(buf: Buffer, boundary: string): { disposition: string; type: string; body: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { disposition: string; type: string; body: Buffer }[] = [];
  let at = buf.indexOf(delimiter);
  while (at >= 0) {
    let start = at + delimiter.length;
    if (buf.subarray(start, start + 2).toString() === '--') break;
    if (buf.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = buf.indexOf(delimiter, start);
    if (next < 0) break;
    // The part's bytes end before the CRLF that precedes the next delimiter.
    const end = buf.subarray(next - 2, next).toString() === '\r\n' ? next - 2 : next;
    const headEnd = buf.indexOf('\r\n\r\n', start);
    if (headEnd >= 0 && headEnd < end) {
      const head = buf.subarray(start, headEnd).toString('utf8');
      const header = (h: string) => new RegExp(`^${h}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
      parts.push({ disposition: header('content-disposition'), type: header('content-type'), body: buf.subarray(headEnd + 4, end) });
    }
    at = next;
  }
  return parts;
}

const headerOf = (headers: RequestInit['headers'], name: string): string => {
  if (!headers) return '';
  if (headers instanceof Headers) return headers.get(name) ?? '';
  if (Array.isArray(headers)) return headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? '';
  const rec = headers as Record<string, string>;
  return Object.entries(rec).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';
};

export interface ChatView {
  chatId: number;
  revision: number;
  messages: ChatMessage[];
}

export interface InjectedFailure {
  /** Fail only this method (any method when absent). */
  method?: string;
  code: 429 | 403 | 400 | 500 | 502;
  description?: string;
  retryAfter?: number;
  /** How many calls fail (default 1). */
  times?: number;
  /** Throw a network error instead of answering. */
  network?: boolean;
}

interface ChatState {
  revision: number;
  nextId: number;
  messages: Map<number, ChatMessage>;
  waiters: Set<() => void>;
}

const MAX_TEXT = 4096;
const MAX_CALLBACK_DATA_BYTES = 64;
const MAX_CALLBACK_ANSWER = 200;

/** A Bot API error answer (status and Telegram's description); the web store throws it too. */
export class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

export type Markup = { inline_keyboard?: ChatButton[][] } | undefined;

/** Checks an inline keyboard as Telegram does and keeps only what a chat shows. */
export function readButtons(markup: Markup): ChatButton[][] {
  const rows = markup?.inline_keyboard ?? [];
  for (const row of rows) {
    for (const b of row) {
      if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > MAX_CALLBACK_DATA_BYTES) {
        throw new ApiFailure(400, 'Bad Request: BUTTON_DATA_INVALID');
      }
      if (!b.text) throw new ApiFailure(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
    }
  }
  return rows.map((row) => row.map((b) => ({ text: b.text, ...(b.callback_data !== undefined ? { callback_data: b.callback_data } : {}), ...(b.url ? { url: b.url } : {}) })));
}

/** Checks a message text as Telegram does (length, HTML) and returns it as HTML. */
export function readText(payload: Record<string, unknown>): string {
  const text = payload.text;
  if (typeof text !== 'string' || !text.trim()) throw new ApiFailure(400, 'Bad Request: message text is empty');
  if (text.length > MAX_TEXT) throw new ApiFailure(400, 'Bad Request: message is too long');
  if (payload.parse_mode === 'HTML') {
    const problems = checkTelegramHtml(text);
    if (problems.length) throw new ApiFailure(400, `Bad Request: can't parse entities: ${problems[0]}`);
    return text;
  }
  return escapeHtml(text);
}

export interface FakeBotApiOptions {
  botInfo: { id: number; first_name: string; username: string };
  clock?: () => Date;
  /**
   * Memory bounds, so local mode runs for months and 100,000 users: each chat keeps its
   * newest `maxMessagesPerChat` messages (what a chat page shows); at most `maxChats`
   * chats are kept, the least recently used dropped first (it starts empty if its user
   * comes back; the bot's own state is in the database); `calls` keeps the newest
   * `maxCalls`; uploaded files the newest `maxFiles`.
   */
  limits?: Partial<FakeBotApiLimits>;
}

export interface FakeBotApiLimits {
  maxMessagesPerChat: number;
  maxChats: number;
  maxCalls: number;
  maxFiles: number;
}

/** Tests look back over whole conversations; 100,000 users stay within these. */
export const DEFAULT_LIMITS: FakeBotApiLimits = { maxMessagesPerChat: 300, maxChats: 10_000, maxCalls: 20_000, maxFiles: 200 };

export function createFakeBotApi({ botInfo, clock = () => new Date(), limits: given }: FakeBotApiOptions) {
  const limits = { ...DEFAULT_LIMITS, ...given };
  const chats = new Map<number, ChatState>();
  const calls: ApiCall[] = [];
  const failures: InjectedFailure[] = [];
  const capture = new AsyncLocalStorage<ApiCall[]>();
  /** Chats whose user "blocked the bot": every send to them answers 403. */
  const blocked = new Set<number>();
  /** Files users "uploaded" (photos, voice, documents), served by getFile and the file URL, in memory only. */
  const files = new Map<string, { path: string; bytes: Uint8Array }>();
  const filesByPath = new Map<string, Uint8Array>();
  let fileCount = 0;

  const chat = (id: number): ChatState => {
    let c = chats.get(id);
    if (c) {
      // Most recently used last: a Map keeps insertion order.
      chats.delete(id);
      chats.set(id, c);
      return c;
    }
    c = { revision: 0, nextId: 1, messages: new Map(), waiters: new Set() };
    chats.set(id, c);
    if (chats.size > limits.maxChats) {
      for (const [oldId, old] of chats) {
        if (chats.size <= limits.maxChats) break;
        // A chat a page is waiting on stays.
        if (old.waiters.size === 0 && oldId !== id) chats.delete(oldId);
      }
    }
    return c;
  };
  /** Adds a message, dropping the chat's oldest beyond the bound (ids only grow, so the first is the oldest). */
  const add = (c: ChatState, m: ChatMessage) => {
    c.messages.set(m.id, m);
    while (c.messages.size > limits.maxMessagesPerChat) c.messages.delete(c.messages.keys().next().value!);
  };
  const touch = (c: ChatState) => {
    c.revision++;
    for (const w of c.waiters) w();
    c.waiters.clear();
  };
  const now = () => Math.floor(clock().getTime() / 1000);
  const chatIdOf = (payload: Record<string, unknown>) => {
    const id = Number(payload.chat_id);
    if (!Number.isSafeInteger(id)) throw new ApiFailure(400, 'Bad Request: chat not found');
    if (blocked.has(id)) throw new ApiFailure(403, 'Forbidden: bot was blocked by the user');
    return id;
  };
  const messageOf = (payload: Record<string, unknown>) => {
    const c = chat(chatIdOf(payload));
    const m = c.messages.get(Number(payload.message_id));
    if (m?.from !== 'bot') throw new ApiFailure(400, 'Bad Request: message to edit not found');
    return { c, m: m as ChatMessage };
  };
  const sent = (chatId: number, m: ChatMessage) => ({
    message_id: m.id,
    date: m.date,
    chat: { id: chatId, type: 'private' },
    from: { ...botInfo, is_bot: true },
    ...(m.document
      ? { caption: m.html, document: { file_id: m.document.fileId, file_unique_id: m.document.fileId, file_name: m.document.fileName, mime_type: m.document.mimeType, file_size: m.document.size } }
      : { text: m.html }),
    ...(m.buttons.length ? { reply_markup: { inline_keyboard: m.buttons } } : {}),
  });
  /** Keeps a file in memory under a new id (uploads by users and documents sent by the bot). */
  const keepFile = (bytes: Uint8Array, kind: string, extension: string) => {
    const n = ++fileCount;
    const fileId = `LocalFile_${n}_${Math.random().toString(36).slice(2, 10)}`;
    const path = `${kind}/file_${n}.${extension.replace(/[^a-z0-9]/gi, '').slice(0, 5) || 'bin'}`;
    files.set(fileId, { path, bytes });
    filesByPath.set(path, bytes);
    // Bounded: the oldest files go first (a soak of many users must not grow memory).
    for (const [oldId, old] of files) {
      if (files.size <= limits.maxFiles) break;
      files.delete(oldId);
      filesByPath.delete(old.path);
    }
    return { fileId, path };
  };

  const handlers: Record<string, (p: Record<string, unknown>) => unknown> = {
    getMe: () => ({ ...botInfo, is_bot: true, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false }),
    sendMessage: (p) => {
      const chatId = chatIdOf(p);
      const c = chat(chatId);
      const m: ChatMessage = { id: c.nextId++, from: 'bot', html: readText(p), date: now(), edited: false, buttons: readButtons(p.reply_markup as Markup) };
      add(c, m);
      touch(c);
      return sent(chatId, m);
    },
    editMessageText: (p) => {
      const { c, m } = messageOf(p);
      const html = readText(p);
      const buttons = readButtons(p.reply_markup as Markup);
      if (html === m.html && JSON.stringify(buttons) === JSON.stringify(m.buttons)) {
        throw new ApiFailure(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      Object.assign(m, { html, buttons, edited: true });
      touch(c);
      return sent(Number(p.chat_id), m);
    },
    editMessageReplyMarkup: (p) => {
      const { c, m } = messageOf(p);
      m.buttons = readButtons(p.reply_markup as Markup);
      touch(c);
      return sent(Number(p.chat_id), m);
    },
    deleteMessage: (p) => {
      const c = chat(chatIdOf(p));
      if (!c.messages.delete(Number(p.message_id))) throw new ApiFailure(400, 'Bad Request: message to delete not found');
      touch(c);
      return true;
    },
    sendDocument: (p) => {
      const chatId = chatIdOf(p);
      const file = p.document as UploadedFile | undefined;
      if (!file || !(file.bytes instanceof Uint8Array)) throw new ApiFailure(400, 'Bad Request: there is no document in the request');
      if (!file.bytes.byteLength) throw new ApiFailure(400, 'Bad Request: file must be non-empty');
      if (file.bytes.byteLength > MAX_BOT_UPLOAD) throw new ApiFailure(413, 'Request Entity Too Large');
      const caption = typeof p.caption === 'string' && p.caption ? p.caption : '';
      if (caption.length > MAX_CAPTION) throw new ApiFailure(400, 'Bad Request: message caption is too long');
      const html = caption ? readText({ text: caption, parse_mode: p.parse_mode }) : '';
      const ext = /\.([a-z0-9]{1,5})$/i.exec(file.name)?.[1] ?? 'bin';
      const { fileId } = keepFile(file.bytes, 'documents', ext);
      const c = chat(chatId);
      const m: ChatMessage = {
        id: c.nextId++,
        from: 'bot',
        html,
        date: now(),
        edited: false,
        buttons: readButtons(p.reply_markup as Markup),
        // Telegram types an upload sent as octet-stream from its name, as here for PDFs.
        document: { fileId, fileName: file.name, mimeType: file.type === 'application/octet-stream' && ext.toLowerCase() === 'pdf' ? 'application/pdf' : file.type, size: file.bytes.byteLength },
      };
      c.messages.set(m.id, m);
      touch(c);
      return sent(chatId, m);
    },
    getFile: (p) => {
      const f = files.get(String(p.file_id));
      if (!f) throw new ApiFailure(400, 'Bad Request: invalid file_id');
      return { file_id: String(p.file_id), file_unique_id: String(p.file_id), file_size: f.bytes.byteLength, file_path: f.path };
    },
    answerCallbackQuery: (p) => {
      if (typeof p.text === 'string' && p.text.length > MAX_CALLBACK_ANSWER) throw new ApiFailure(400, 'Bad Request: MESSAGE_TOO_LONG');
      return true;
    },
  };

  function takeFailure(method: string): InjectedFailure | undefined {
    const i = failures.findIndex((f) => !f.method || f.method === method);
    if (i < 0) return undefined;
    const f = failures[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) failures.splice(i, 1);
    return f;
  }

  function call(method: string, payload: Record<string, unknown>): { status: number; body: unknown } {
    const record = { method, payload };
    calls.push(record);
    // Trimmed in steps, so dropping the oldest is not a copy per call.
    if (calls.length > limits.maxCalls + 1000) calls.splice(0, calls.length - limits.maxCalls);
    capture.getStore()?.push(record);
    const failure = takeFailure(method);
    if (failure) {
      if (failure.network) throw new TypeError('fetch failed (injected network error)');
      return {
        status: failure.code,
        body: {
          ok: false,
          error_code: failure.code,
          description: failure.description ?? (failure.code === 429 ? `Too Many Requests: retry after ${failure.retryAfter ?? 1}` : failure.code === 403 ? 'Forbidden: bot was blocked by the user' : 'Internal Server Error'),
          ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
        },
      };
    }
    try {
      const handler = handlers[method];
      // Methods we do not model (setMyCommands, sendChatAction…) simply succeed.
      return { status: 200, body: { ok: true, result: handler ? handler(payload) : true } };
    } catch (err) {
      if (!(err instanceof ApiFailure)) throw err;
      return {
        status: err.code,
        body: { ok: false, error_code: err.code, description: err.description, ...(err.retryAfter ? { parameters: { retry_after: err.retryAfter } } : {}) },
      };
    }
  }

  /** Calls held before they are answered (Telegram being slow): method → ms, per call. */
  const holds: { method: string; ms: number; times: number }[] = [];
  const held = (method: string, signal?: AbortSignal | null) => {
    const h = holds.find((x) => x.method === method);
    if (!h) return undefined;
    if (--h.times <= 0) holds.splice(holds.indexOf(h), 1);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, h.ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DOMException('The operation was aborted', 'AbortError'));
      });
    });
  };

  /** grammY's `client.fetch`. */
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // A file download (https://api.telegram.org/file/bot<token>/<file_path>).
    const file = /\/file\/bot[^/]+\/(.+)$/.exec(new URL(url).pathname);
    if (file) {
      const bytes = filesByPath.get(decodeURIComponent(file[1]!));
      return bytes
        ? new Response(bytes.slice(), { status: 200, headers: { 'content-length': String(bytes.byteLength) } })
        : new Response(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }), { status: 404 });
    }
    const method = url.slice(url.lastIndexOf('/') + 1);
    // A held call is handled (delivered) when it answers, unless the caller gave up first.
    await held(method, init?.signal);
    const raw = init?.body;
    let payload: Record<string, unknown> = {};
    if (typeof raw === 'string' && raw) payload = JSON.parse(raw);
    else if (raw) {
      const type = headerOf(init?.headers, 'content-type');
      if (!type.startsWith('multipart/form-data')) throw new Error(`fake Bot API: ${method} sent a body we do not read (${type || 'no content type'})`);
      payload = await readMultipart(raw, type);
    }
    const { status, body } = call(method, payload);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;

  return {
    fetch: fetchImpl,
    /** Every call so far, in order. */
    calls,
    /** Runs `fn` and returns the calls made inside it (by async context, so concurrent updates don't mix). */
    async capture<T>(fn: () => Promise<T>): Promise<{ result: T; calls: ApiCall[] }> {
      const mine: ApiCall[] = [];
      const result = await capture.run(mine, fn);
      return { result, calls: mine };
    },
    /** Makes upcoming calls fail. */
    fail(f: InjectedFailure) {
      failures.push({ times: 1, ...f });
    },
    /** Holds the next `times` calls of `method` for `ms` before handling them. */
    hold(method: string, ms: number, times = 1) {
      holds.push({ method, ms, times });
    },
    clearFailures() {
      failures.length = 0;
    },
    block(chatId: number, isBlocked = true) {
      if (isBlocked) blocked.add(chatId);
      else blocked.delete(chatId);
    },
    /**
     * Keeps a file a user "sent" (in memory) and returns its file id, as Telegram
     * would give it in the message; getFile and the file URL then serve it.
     */
    putFile(bytes: Uint8Array, kind: 'photos' | 'voice' | 'documents', extension: string): { fileId: string; path: string } {
      return keepFile(bytes, kind, extension);
    },
    /** The bytes of a file the stand-in keeps (a document the bot sent, an upload), for the local chat's download link. */
    fileBytes(fileId: string): { path: string; bytes: Uint8Array } | undefined {
      return files.get(fileId);
    },
    /** Stores a message the user typed and returns its id (local mode's chat shows it). */
    recordUserMessage(chatId: number, text: string): number {
      const c = chat(chatId);
      const m: ChatMessage = { id: c.nextId++, from: 'user', html: escapeHtml(text), date: now(), edited: false, buttons: [] };
      add(c, m);
      touch(c);
      return m.id;
    },
    /** The chat as the user sees it now (edits applied, deleted messages gone). */
    view(chatId: number): ChatView {
      const c = chat(chatId);
      return { chatId, revision: c.revision, messages: [...c.messages.values()].sort((a, b) => a.id - b.id) };
    },
    /** How much it holds now (the soak benchmark and the bounds' test read it). */
    size(): { chats: number; messages: number; calls: number; files: number } {
      let messages = 0;
      for (const c of chats.values()) messages += c.messages.size;
      return { chats: chats.size, messages, calls: calls.length, files: files.size };
    },
    message(chatId: number, id: number): ChatMessage | undefined {
      return chats.get(chatId)?.messages.get(id);
    },
    /** Resolves when the chat's revision passes `after`, or after `timeoutMs`. */
    waitForChange(chatId: number, after: number, timeoutMs: number): Promise<ChatView> {
      const c = chat(chatId);
      if (c.revision > after) return Promise.resolve(this.view(chatId));
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          c.waiters.delete(done);
          resolve(this.view(chatId));
        };
        const timer = setTimeout(done, timeoutMs);
        c.waiters.add(done);
      });
    },
  };
}

export type FakeBotApi = ReturnType<typeof createFakeBotApi>;
