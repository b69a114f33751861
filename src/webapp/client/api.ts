/** The app's calls to its server (same origin, JSON). Errors carry the server's translated message. */
export interface WebButton {
  text: string;
  callback_data?: string;
  url?: string;
}
export interface WebMessage {
  id: number;
  from: 'user' | 'bot';
  html: string;
  buttons: WebButton[][];
  edited: boolean;
  deleted: boolean;
  date: number;
}
export interface Changes {
  rev: number;
  messages: WebMessage[];
  /** Short notices of a button press (what Telegram shows as a toast). */
  notices?: string[];
}
export interface OfflineData {
  language: string;
  hotlines: string;
  dates: { html: string; date: string }[];
  savedAt: string;
}
export interface AppStrings {
  languages: { code: string; name: string }[];
  cardRu: string;
  strings: Record<string, Record<string, unknown>>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

let language = 'ru';
/** The language the server should refuse in before it knows the session. */
export function setApiLanguage(lng: string): void {
  language = lng;
}

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers: { 'x-pravo-lang': language, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'webapp.errors.network', '');
  }
  const data = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, data.error ?? 'webapp.errors.generic', data.message ?? '');
  return data as T;
}

export const api = {
  strings: () => call<AppStrings>('GET', '/app/strings.json'),
  session: () => call<{ chatId: number; language: string; push: boolean }>('GET', '/app/api/session'),
  start: (lang: string) => call<{ chatId: number; recoveryCode: string }>('POST', '/app/api/session', { language: lang }),
  recover: (code: string) => call<{ chatId: number }>('POST', '/app/api/recover', { code }),
  signOut: () => call<{ ok: true }>('DELETE', '/app/api/session'),
  language: (lang: string) => call<{ ok: true; notices: string[] }>('POST', '/app/api/language', { language: lang }),
  send: (text: string, after: number) => call<Changes>('POST', `/app/api/send?after=${after}`, { text }),
  press: (messageId: number, data: string, after: number) => call<Changes>('POST', `/app/api/press?after=${after}`, { messageId, data }),
  messages: (after: number, wait: boolean, signal?: AbortSignal) => call<Changes>('GET', `/app/api/messages?after=${after}${wait ? '&wait=1' : ''}`, undefined, signal),
  offline: () => call<OfflineData>('GET', '/app/api/offline'),
  pushKey: () => call<{ enabled: boolean; publicKey: string | null }>('GET', '/app/api/push'),
  pushSubscribe: (sub: PushSubscriptionJSON) => call<{ ok: true }>('PUT', '/app/api/push', sub),
};
