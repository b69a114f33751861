/** Every admin route refuses a missing, wrong or revoked token (401) and a wrong role (403). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let api: ApiClient;
let revoked: string;
beforeAll(async () => {
  h = await createHarness();
  api = await createApiClient(h);
  const r = await h.container.staff.add('Уволенный', 'admin');
  await h.container.staff.revoke(r.member.id);
  revoked = r.token;
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

type Role = 'lawyer' | 'staff' | 'admin';
const ROUTES: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; body?: object; roles: Role[] }[] = [
  { method: 'GET', url: '/api/me', roles: ['lawyer', 'staff', 'admin'] },
  { method: 'GET', url: '/api/staff', roles: ['lawyer', 'staff', 'admin'] },
  { method: 'GET', url: '/api/flows', roles: ['lawyer', 'staff', 'admin'] },
  { method: 'GET', url: '/api/alerts', roles: ['lawyer', 'staff', 'admin'] },
  { method: 'POST', url: '/api/alerts', body: { texts: { ru: 'x' }, audience: { everyone: true } }, roles: ['staff', 'admin'] },
  { method: 'POST', url: '/api/alerts/audience', body: { audience: { everyone: true } }, roles: ['lawyer', 'staff', 'admin'] },
  { method: 'GET', url: '/api/alerts/1', roles: ['lawyer', 'staff', 'admin'] },
  { method: 'GET', url: '/api/alerts/1/recipients', roles: ['lawyer', 'staff', 'admin'] },
  { method: 'PATCH', url: '/api/alerts/1', body: { texts: { ru: 'y' } }, roles: ['staff', 'admin'] },
  { method: 'POST', url: '/api/alerts/1/approve', roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/alerts/1/send', roles: ['staff', 'admin'] },
  { method: 'POST', url: '/api/alerts/1/cancel', roles: ['staff', 'admin'] },
  { method: 'POST', url: '/api/alerts/1/correct', body: { texts: { ru: 'z' } }, roles: ['staff', 'admin'] },
  { method: 'POST', url: '/api/alerts/1/preview', roles: ['lawyer', 'staff', 'admin'] },
  { method: 'GET', url: '/api/cases', roles: ['lawyer', 'admin'] },
  { method: 'GET', url: '/api/cases/1', roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/claim', roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/release', roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/reply', body: { text: 'x' }, roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/notes', body: { text: 'x' }, roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/close', roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/reopen', roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/deliveries/retry', roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/translate-draft', body: { text: 'x' }, roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/cases/1/translations/retry', roles: ['lawyer', 'admin'] },
  { method: 'GET', url: '/api/cases/1/messages/1/attachments/0', roles: ['lawyer', 'admin'] },
  { method: 'GET', url: '/api/templates', roles: ['lawyer', 'admin'] },
  { method: 'POST', url: '/api/templates', body: { language: 'ru', title: 't', text: 'x' }, roles: ['lawyer', 'admin'] },
  { method: 'PATCH', url: '/api/templates/1', body: { title: 'y' }, roles: ['lawyer', 'admin'] },
  { method: 'DELETE', url: '/api/templates/999', roles: ['lawyer', 'admin'] },
  { method: 'GET', url: '/api/audit', roles: ['admin'] },
  { method: 'GET', url: '/api/stats', roles: ['lawyer', 'staff', 'admin'] },
];

const send = (route: (typeof ROUTES)[number], authorization?: string) =>
  api.app.inject({ method: route.method, url: route.url, headers: authorization ? { authorization } : {}, ...(route.body ? { payload: route.body } : {}) });

describe.each(ROUTES)('$method $url', (route) => {
  it('refuses no token, a wrong token and a revoked token with 401', async () => {
    for (const auth of [undefined, 'Bearer pravo_wrong', 'Bearer', 'Basic abc', `Bearer ${revoked}`]) {
      const res = await send(route, auth);
      expect(res.statusCode, String(auth)).toBe(401);
      expect(res.json().error).toEqual(expect.any(String));
    }
  });

  it('refuses the wrong role with 403 and lets the right roles through', async () => {
    for (const role of ['lawyer', 'staff', 'admin'] as const) {
      const res = await send(route, `Bearer ${api.tokens[role]}`);
      if (route.roles.includes(role)) expect(res.statusCode, role).not.toBe(403);
      else expect(res.statusCode, role).toBe(403);
      expect(res.statusCode).not.toBe(401);
    }
  });
});

describe('a revoked token', () => {
  it('is refused at once even right after it was accepted (the short token cache drops it)', async () => {
    const r = await h.container.staff.add('Уходящий', 'lawyer');
    const me = () => api.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${r.token}` } });
    expect((await me()).statusCode).toBe(200);
    expect((await me()).statusCode).toBe(200);
    await h.container.staff.revoke(r.member.id);
    expect((await me()).statusCode).toBe(401);
  });
});

describe('the API surface', () => {
  it('publishes OpenAPI at /docs with every route', async () => {
    const res = await api.app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/cases', '/api/cases/{id}', '/api/cases/{id}/claim', '/api/templates', '/api/audit', '/api/stats']));
  });

  it('answers bad input with 400 and a message, unknown ids with 404', async () => {
    const lawyer = api.as(api.tokens.lawyer);
    expect((await lawyer.get('/api/cases/abc')).status).toBe(400);
    expect((await lawyer.get('/api/cases?limit=1000')).body.error).toMatch(/limit/);
    expect((await lawyer.get('/api/cases?status=lost')).status).toBe(400);
    expect((await lawyer.get('/api/cases?cursor=garbage')).body).toEqual({ error: 'cursor is not valid' });
    expect((await lawyer.get('/api/cases/424242')).status).toBe(404);
    expect((await lawyer.post('/api/cases/424242/reply', { text: 'x' })).status).toBe(404);
    const empty = await lawyer.post('/api/cases/1/reply', { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/text/);
    const huge = await lawyer.post('/api/cases/1/reply', { text: 'x'.repeat(10_000) });
    expect(huge.status).toBe(400);
    const malformed = await api.app.inject({ method: 'POST', url: '/api/cases/1/reply', headers: { authorization: `Bearer ${api.tokens.lawyer}`, 'content-type': 'application/json' }, payload: '{"text":' });
    expect(malformed.statusCode).toBe(400);
  });

  it('keeps canned answers per language', async () => {
    const lawyer = api.as(api.tokens.lawyer);
    const created = await lawyer.post('/api/templates', { language: 'uz', title: 'Patent', text: 'Patent haqida...' });
    expect(created.status).toBe(201);
    // Besides the shipped answers (with a key), the lawyer's own.
    const own = async (language: string) => (await lawyer.get(`/api/templates?language=${language}`)).body.filter((t: { key: string | null }) => t.key === null);
    expect((await own('uz')).map((t: { title: string }) => t.title)).toEqual(['Patent']);
    expect(await own('tg')).toEqual([]);
    expect((await lawyer.patch(`/api/templates/${created.body.id}`, { title: 'Patent 2026' })).body.title).toBe('Patent 2026');
    expect((await lawyer.delete(`/api/templates/${created.body.id}`)).status).toBe(204);
    expect((await lawyer.post('/api/templates', { language: 'xx', title: 'a', text: 'b' })).status).toBe(400);
  });
});
