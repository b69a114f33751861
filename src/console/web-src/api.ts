import { API } from './constants.js';
import { t } from './helpers.js';
import { logout } from './login.js';
import { state } from './state.js';

// ---------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Calls the admin API with the session's token. `T` is the response type, taken
 * from api-types.ts (derived from the server's schemas) at each call site; the
 * paths are checked against the server's OpenAPI by tests/console/api-client.test.ts.
 */
export async function api<T = any>(path: string, { method = 'GET', body }: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${state.token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, (e as Error)?.message || 'network error');
  }
  const raw = res.status === 204 ? '' : await res.text();
  let data: any = null;
  if (raw) {
    try {
      data = JSON.parse(raw);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const message = (data && typeof data.error === 'string' && data.error) || res.statusText || `HTTP ${res.status}`;
    if (res.status === 401 && state.me) {
      queueMicrotask(() => logout(t('sessionEnded', { msg: message }), true));
    }
    throw new ApiError(res.status, message);
  }
  return data as T;
}

export function errorText(err) {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('errNetwork', { msg: err.message });
    if (err.status === 409) return t('err409', { msg: err.message });
    if (err.status === 429) return t('err429', { msg: err.message });
    return t('errHttp', { status: err.status, msg: err.message });
  }
  return String(err?.message ?? err);
}
