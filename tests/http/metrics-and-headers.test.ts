/**
 * Operations: Prometheus metrics at /metrics for whoever holds METRICS_TOKEN (nobody
 * else learns anything), counting real updates and reading the outbox from the
 * database; and security headers on the pages people open (console, local chat, web
 * app), with a policy that runs no inline script.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app.js';
import { enqueue } from '../../src/outbox/outbox.js';
import { createWebChannel } from '../../src/webapp/web-channel.js';
import { APP_CSP } from '../../src/webapp/webapp-routes.js';
import { ensureAppBuilt } from '../helpers/build-app.js';
import { createHarness, type Harness, onboard } from '../helpers/harness.js';

const TOKEN = 'metrics-token-0123456789abcdef';
let h: Harness;
let app: FastifyInstance;

beforeAll(async () => {
  ensureAppBuilt();
  h = await createHarness({ env: { METRICS_TOKEN: TOKEN, LAWYERS_CHAT_ID: '-100500' } });
  app = await buildHttpApp({ container: h.container, bot: h.bot, local: { api: h.api }, webapp: createWebChannel(h.container, h.bot) });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const scrape = (authorization?: string) => app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
/** The value of a sample line `name{labels} value` (labels matched as given). */
const sample = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('/metrics', () => {
  it('answers 401 without the token or with a wrong one, and shows nothing', async () => {
    for (const auth of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`]) {
      const res = await scrape(auth);
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('pravo_');
    }
  });

  it('counts and times the updates the bot handled, and reads the database gauges', async () => {
    const before = sample((await scrape(`Bearer ${TOKEN}`)).body, 'pravo_updates_handled_total{kind="message",outcome="ok"}') ?? 0;
    await onboard(h, 71_001, 'uz');
    await h.send(71_001, '/start');
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(sample(text, 'pravo_updates_handled_total{kind="message",outcome="ok"}')).toBeGreaterThan(before);
    expect(sample(text, 'pravo_updates_handled_total{kind="callback_query",outcome="ok"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^pravo_update_handler_seconds_bucket\{le="0\.005",kind="message"\} \d+/m);
    expect(sample(text, 'pravo_update_handler_seconds_count{kind="message"}')).toBeGreaterThan(0);
    for (const name of ['pravo_outbox_depth', 'pravo_outbox_oldest_age_seconds', 'pravo_reminder_lag_seconds', 'pravo_reminders_due', 'pravo_alert_sends_per_second', 'pravo_alert_deliveries_pending', 'pravo_db_pool_max_connections']) {
      expect(sample(text, name), name).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'pravo_db_up')).toBe(1);
    expect(text).toContain('pravo_process_resident_memory_bytes');
  });

  it('shows a message waiting in the outbox and its age, and 0 once it is delivered', async () => {
    await onboard(h, 71_002, 'ru');
    await enqueue(h.container.database.db, [{ chatId: '71002', kind: 'lawyer-answer', payload: { text: 'Ответ юриста' } }], h.clock());
    h.clock.advanceDays(1 / 24);
    const text = (await scrape(`Bearer ${TOKEN}`)).body;
    expect(sample(text, 'pravo_outbox_depth')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'pravo_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(3600);
    await h.deliver();
    expect(h.texts(71_002)).toContain('Ответ юриста');
    const after = (await scrape(`Bearer ${TOKEN}`)).body;
    expect(sample(after, 'pravo_outbox_depth')).toBe(0);
    expect(sample(after, 'pravo_outbox_oldest_age_seconds')).toBe(0);
  });
});

describe('security headers', () => {
  const policy = (csp: string) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

  for (const url of ['/console/', '/']) {
    it(`${url} forbids inline script and framing, and sets the usual headers`, async () => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const csp = policy(String(res.headers['content-security-policy']));
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      // Nothing inline to allow: the page loads its script from a file.
      expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    });
  }

  it('/app/ keeps its own stricter policy (no inline style either) with the same other headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/app/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe(APP_CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('/docs (Swagger UI, built at its first request) serves its page, its scripts and the specification under its own policy', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger-ui');
    // The library's policy lets its own scripts run; helmet's other headers stay.
    const csp = policy(String(page.headers['content-security-policy']));
    expect(csp['script-src']).toContain("'self'");
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const script = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.rawPayload.length).toBeGreaterThan(100_000);
    const spec = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(Object.keys(spec.json().paths)).toContain('/api/cases');
    const yaml = await app.inject({ method: 'GET', url: '/docs/yaml' });
    expect(yaml.body).toContain('/api/cases:');
    const missing = await app.inject({ method: 'GET', url: '/docs/static/nothing-here.js' });
    expect(missing.statusCode).toBe(404);
  });
});
