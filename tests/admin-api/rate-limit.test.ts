/**
 * Over the admin API's rate limit the answer is 429 with Retry-After and a message,
 * per account; requests without a valid token are limited per address; a wrong
 * token is remembered briefly, so repeating it costs no database lookup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const LIMIT = 5;
let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness({ env: { API_RATE_LIMIT: String(LIMIT) } });
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close().catch(() => {}); // the last test closed the database already
});

const get = (auth: string | undefined, ip = '10.0.0.1') =>
  api.app.inject({ method: 'GET', url: '/api/cases', remoteAddress: ip, headers: auth ? { authorization: auth } : {} });

describe('admin API rate limit', () => {
  it('answers 429 with Retry-After and a message over the limit, per account', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await get(`Bearer ${api.tokens.lawyer}`)).statusCode).toBe(200);
    const over = await get(`Bearer ${api.tokens.lawyer}`);
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.json().error).toMatch(/too many requests: at most 5 a minute/);
    // Another account from the same address is not held back.
    expect((await get(`Bearer ${api.tokens.lawyer2}`)).statusCode).toBe(200);
  });

  it('limits requests with no token or a wrong one by address', async () => {
    const ip = '10.0.0.2';
    for (let i = 0; i < LIMIT; i++) {
      expect((await get(i % 2 ? undefined : `Bearer pravo_wrong_${i}`, ip)).statusCode).toBe(401);
    }
    const over = await get('Bearer pravo_wrong_again', ip);
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.json().error).toMatch(/without a valid token/);
    // Another address is not affected.
    expect((await get('Bearer pravo_wrong_0', '10.0.0.3')).statusCode).toBe(401);
  });

  it('answers a wrong token it has just seen without asking the database', async () => {
    const ip = '10.0.0.4';
    expect((await get('Bearer pravo_remembered_wrong', ip)).statusCode).toBe(401);
    await h.database.close(); // any lookup now would fail with 5xx
    expect((await get('Bearer pravo_remembered_wrong', ip)).statusCode).toBe(401);
  });
});
