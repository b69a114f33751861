/** The admin API over the harness's container, with tokens for each role. */
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/http/app.js';
import type { Harness } from './harness.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON checked field by field in the tests
type Json = any;

export interface ApiClient {
  app: FastifyInstance;
  tokens: { lawyer: string; lawyer2: string; staff: string; admin: string };
  as(token: string): {
    get(url: string): Promise<{ status: number; body: Json }>;
    post(url: string, body?: unknown): Promise<{ status: number; body: Json }>;
    patch(url: string, body?: unknown): Promise<{ status: number; body: Json }>;
    delete(url: string): Promise<{ status: number; body: Json }>;
  };
}

export async function createApiClient(h: Harness): Promise<ApiClient> {
  // Attachments come from the fake Bot API, as in local mode.
  const app = await buildHttpApp({ container: h.container, bot: h.bot, telegramFetch: h.api.fetch });
  const add = async (name: string, role: 'lawyer' | 'staff' | 'admin') => (await h.container.staff.add(name, role)).token;
  const tokens = { lawyer: await add('Анна', 'lawyer'), lawyer2: await add('Борис', 'lawyer'), staff: await add('Вера', 'staff'), admin: await add('Глеб', 'admin') };
  const call = (token: string) => async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body !== undefined ? { payload: body as object } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  return {
    app,
    tokens,
    as(token) {
      const c = call(token);
      return {
        get: (url) => c('GET', url),
        post: (url, body) => c('POST', url, body ?? {}),
        patch: (url, body) => c('PATCH', url, body ?? {}),
        delete: (url) => c('DELETE', url),
      };
    },
  };
}
