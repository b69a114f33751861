/**
 * A NUL character (\u0000) is answered 400 with a message on every admin API route
 * (in the body, the query or the path), and is dropped from what a user types to
 * the bot, so it neither crashes nor loses a record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness, openCase } from '../helpers/harness.js';

let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness({ env: { API_RATE_LIMIT: '100000' } });
  api = await createApiClient(h);
  await api.app.ready();
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

/** Every admin route from the OpenAPI document, with ids filled in. */
function routes(): { method: string; url: string }[] {
  const spec = api.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths)
    .filter(([path]) => path.startsWith('/api/'))
    .flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase(), url: path.replace(/\{[^}]+\}/g, '1') })));
}

/** Any string field a route reads, each with a NUL in it. */
const BODY = { text: 'Ответ\u0000юриста', title: 'Шаблон\u0000', language: 'ru', texts: { ru: 'Изменения\u0000в законе' }, audience: { everyone: true }, name: 'x\u0000' };

describe('NUL in a request', () => {
  it('is 400 with a message on every admin API route, whatever the role', async () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(15);
    const tokens = Object.values(api.tokens);
    for (const r of all) {
      const withBody = r.method === 'POST' || r.method === 'PATCH' || r.method === 'PUT';
      // The first token whose role the route accepts (others stop at 403 before the body is read).
      let res = undefined as Awaited<ReturnType<typeof api.app.inject>> | undefined;
      for (const token of tokens) {
        res = await api.app.inject({
          method: r.method as 'GET',
          url: withBody ? r.url : `${r.url}?q=%00`,
          headers: { authorization: `Bearer ${token}` },
          ...(withBody ? { payload: BODY } : {}),
        });
        if (res.statusCode !== 403) break;
      }
      expect(res!.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res!.json().error, `${r.method} ${r.url}`).toMatch(/NUL character/);
    }
  });

  it('is 400 in a path parameter', async () => {
    const res = await api.as(api.tokens.lawyer).get('/api/cases/1%00');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/params\.id contains a NUL character/);
  });

  it('is dropped from what a user types to the bot: the question reaches the lawyer without it', async () => {
    const id = await openCase(h, 8301, 'ru', 'Вопрос\u0000 о патенте');
    const { messages } = await h.container.cases.get(id);
    expect(messages.map((m) => m.message.text)).toEqual(['Вопрос о патенте']);
    await h.send(8301, 'Дополнение\u0000');
    expect((await h.container.cases.get(id)).messages.map((m) => m.message.text)).toContain('Дополнение');
  });
});
