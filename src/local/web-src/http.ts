
// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

export class ApiError extends Error {
  constructor(
    message: string,
    /** Undefined for network errors. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A same-origin call to the local routes; the answer is the route's JSON. */
export async function api<T = any>(path: string, { method = 'GET', body, signal }: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      signal,
      cache: 'no-store',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err: any) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError('Cannot reach the local server.', undefined);
  }
  let text = '';
  try {
    text = await res.text();
  } catch (err: any) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError('Connection to the local server was interrupted.', undefined);
  }
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const msg = data && typeof data.error === 'string' && data.error ? data.error : `HTTP ${res.status} ${res.statusText}`.trim();
    throw new ApiError(msg, res.status);
  }
  if (data === null || typeof data !== 'object') throw new ApiError(`Unexpected response from ${path}`, res.status);
  return data as T;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
