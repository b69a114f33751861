/**
 * The web app's channel over HTTP, as a phone's browser uses it: a visitor with no
 * Telegram starts an anonymous session, walks onboarding, asks a lawyer; the lawyer
 * answers through the admin API; the answer reaches the visitor in the app and as a
 * Web Push to a local stand-in push service. Telegram users of the same bot keep
 * going to the (fake) Bot API. History survives a restart; the recovery code opens
 * the chat on a second device; idle visitors are forgotten, except with an open
 * case or a reminder to come; bad input gets translated 4xx answers.
 */
import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cases, users, webChats, webDevices, webMessages } from '../../src/db/schema/index.js';
import { buildHttpApp } from '../../src/http/app.js';
import { createWebChannel, type WebChannel } from '../../src/webapp/web-channel.js';
import { createApiClient, type ApiClient } from '../helpers/api.js';
import { ensureAppBuilt } from '../helpers/build-app.js';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON checked field by field
type Json = any;

const en = JSON.parse(readFileSync('locales/en/common.json', 'utf8'));
const uz = JSON.parse(readFileSync('locales/uz/common.json', 'utf8'));
const ru = JSON.parse(readFileSync('locales/ru/common.json', 'utf8'));

const clock = createTestClock('2026-03-02T12:00:00+03:00');
const vapid = webpush.generateVAPIDKeys();
let h: Harness;
let admin: ApiClient;
let channel: WebChannel;
let app: FastifyInstance;
let certDir: string;
let pushServer: Server;
let pushPort = 0;
/** What the stand-in push service received, and what it answers next. */
const pushed: { path: string; headers: Record<string, unknown>; bytes: number }[] = [];
let pushAnswer = 201;

async function startApp() {
  channel = createWebChannel(h.container, h.bot, { pushAgent: new Agent({ ca: readFileSync(join(certDir, 'cert.pem')) }) });
  app = await buildHttpApp({ container: h.container, bot: h.bot, webapp: channel });
}

beforeAll(async () => {
  ensureAppBuilt();
  certDir = mkdtempSync(join(tmpdir(), 'pravo-push-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
  pushServer = createServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    req.on('end', () => {
      pushed.push({ path: req.url ?? '', headers: req.headers, bytes });
      res.writeHead(pushAnswer).end();
    });
  });
  await new Promise<void>((resolve) => pushServer.listen(0, '127.0.0.1', resolve));
  pushPort = (pushServer.address() as { port: number }).port;

  h = await createHarness({
    clock,
    env: {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:test@example.org',
      WEB_PUSH_HOSTS: '127.0.0.1',
      WEBAPP_IDLE_DAYS: '30',
      WEBAPP_SESSIONS_PER_HOUR: '8',
    },
  });
  admin = await createApiClient(h);
  await startApp();
});

afterAll(async () => {
  await app?.close();
  await admin?.app.close();
  await h?.close();
  await new Promise((r) => pushServer?.close(r));
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

/** A browser: keeps the session cookie and the chat's revision. */
function device(lang = 'en', address = '203.0.113.7') {
  let cookie = '';
  let rev = 0;
  const messages = new Map<number, Json>();
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method,
      url,
      remoteAddress: address,
      headers: { 'x-pravo-lang': lang, ...(cookie ? { cookie } : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
    const set = res.headers['set-cookie'];
    if (typeof set === 'string') cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!;
    const body = res.body ? res.json() : undefined;
    if (res.statusCode === 200 && body && Array.isArray(body.messages)) {
      rev = body.rev;
      for (const m of body.messages) {
        if (m.deleted) messages.delete(m.id);
        else messages.set(m.id, m);
      }
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
  const d = {
    call,
    get cookie() {
      return cookie;
    },
    /** Starts a session and loads the chat, as the app does. */
    async start() {
      const r = await call('POST', '/app/api/session', { language: lang });
      if (r.status === 200) await d.sync();
      return r;
    },
    recover: (code: string) => call('POST', '/app/api/recover', { code }),
    sync: () => call('GET', `/app/api/messages?after=${rev}`),
    send: (text: string) => call('POST', `/app/api/send?after=${rev}`, { text }),
    /** Presses the newest button whose callback data matches. */
    async press(data: string | RegExp) {
      const ms = [...messages.values()].filter((m) => m.from === 'bot').reverse();
      for (const m of ms) {
        const b = m.buttons.flat().find((x: Json) => (typeof data === 'string' ? x.callback_data === data : data.test(x.callback_data ?? '')));
        if (b) return call('POST', `/app/api/press?after=${rev}`, { messageId: m.id, data: b.callback_data });
      }
      throw new Error(`no button ${String(data)}`);
    },
    texts: () => [...messages.values()].filter((m) => m.from === 'bot').map((m) => m.html as string),
    last: () => d.texts().at(-1) ?? '',
    /** Callback data of the newest bot message's buttons. */
    buttons: (): string[] => [...messages.values()].filter((m) => m.from === 'bot').at(-1)?.buttons.flat().map((b: Json) => b.callback_data) ?? [],
  };
  return d;
}

function subscription(path: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint: `https://127.0.0.1:${pushPort}${path}`, keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') } };
}

const WEB_BASE = 2 ** 52;
const FORGET_YES = 'x:y';
const visitor = device('uz');
let chatId = 0;
let recoveryCode = '';
let caseId = 0;

describe('a visitor without Telegram', () => {
  it('starts an anonymous session: a web chat id above every Telegram id, a recovery code, and the consent text in their language', async () => {
    const r = await visitor.start();
    expect(r.status).toBe(200);
    chatId = r.body.chatId;
    recoveryCode = r.body.recoveryCode;
    expect(chatId).toBeGreaterThanOrEqual(WEB_BASE);
    expect(recoveryCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(String(r.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(visitor.last()).toBe(uz.consent.text);
    expect(visitor.buttons()).toContain('c:y');
  });

  it('is a real user of the bot, and asks a lawyer; the case is in the same queue as Telegram users’ cases', async () => {
    await visitor.press('c:y');
    expect(visitor.buttons()).toContain('a');
    const [row] = await h.database.db.select().from(users).where(eq(users.id, chatId));
    expect(row?.language).toBe('uz');
    expect(row?.consentedAt).not.toBeNull();
    await visitor.press('a');
    await visitor.send('Ish beruvchi hujjatlarni bermayapti.');
    await visitor.press('cs');
    caseId = Number(/#(\d+)/.exec(visitor.last())?.[1]);
    expect(caseId).toBeGreaterThan(0);
    const queue = await admin.as(admin.tokens.lawyer).get('/api/cases?status=open');
    expect(queue.status).toBe(200);
    expect(JSON.stringify(queue.body)).toContain(`"id":${caseId}`);
  });

  it('Telegram users of the same bot still go to Telegram, web visitors’ messages never do', async () => {
    await onboard(h, 70_001, 'ru');
    expect(h.last(70_001).html).toBeTruthy();
    expect(h.api.calls.some((c) => Number(c.payload.chat_id) >= WEB_BASE)).toBe(false);
    const stored = await h.database.db.select().from(webMessages).where(eq(webMessages.chatId, 70_001));
    expect(stored).toHaveLength(0);
  });

  it('gets the lawyer’s answer in the app, and a Web Push notice on the device that allowed it', async () => {
    const sub = subscription('/push/visitor-phone');
    expect((await visitor.call('PUT', '/app/api/push', sub)).status).toBe(200);
    const lawyer = admin.as(admin.tokens.lawyer);
    expect((await lawyer.post(`/api/cases/${caseId}/claim`)).status).toBe(200);
    expect((await lawyer.post(`/api/cases/${caseId}/reply`, { text: 'Ish beruvchiga yozma ariza bering.' })).status).toBe(201);
    await h.deliver();
    await visitor.sync();
    expect(visitor.texts().some((t) => t.includes('yozma ariza bering'))).toBe(true);
    await vi.waitFor(() => expect(pushed.some((p) => p.path === '/push/visitor-phone')).toBe(true), { timeout: 15_000, interval: 100 });
    const p = pushed.find((x) => x.path === '/push/visitor-phone')!;
    expect(String(p.headers.authorization)).toMatch(/^vapid t=/);
    expect(p.headers.ttl).toBeDefined();
    expect(p.bytes).toBeGreaterThan(0);
  });

  it('a push service that says the subscription is gone (410) stops being used', async () => {
    pushAnswer = 410;
    const before = pushed.length;
    await channel.push.notify(chatId);
    await vi.waitFor(async () => {
      const [d] = await h.database.db.select().from(webDevices).where(eq(webDevices.chatId, chatId));
      expect(pushed.length).toBeGreaterThan(before);
      expect(d?.push).toBeNull();
    }, { timeout: 15_000, interval: 100 });
    pushAnswer = 201;
  });

  it('refuses a push subscription to a host that is not a push service', async () => {
    const r = await visitor.call('PUT', '/app/api/push', { endpoint: 'https://169.254.169.254/latest', keys: { p256dh: 'x', auth: 'y' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(uz.webapp.push.unavailable);
  });

  it('sees the same conversation after a restart of the server', async () => {
    const before = visitor.texts();
    await app.close();
    await h.restart();
    await startApp();
    const again = device('uz');
    // Same browser (cookie), fresh page (no revision).
    const r = await again.call('GET', '/app/api/messages?after=0', undefined, { cookie: visitor.cookie });
    expect(r.status).toBe(200);
    expect(r.body.messages.map((m: Json) => m.html)).toEqual(expect.arrayContaining(before.slice(-3)));
    // What the visitor sends after the restart is answered: the "handled once" guard keeps
    // the previous run's update ids, so the web channel must not number its updates afresh.
    const count = visitor.texts().length;
    const sent = await visitor.send('/menu');
    expect(sent.status).toBe(200);
    await visitor.sync();
    expect(visitor.texts().length).toBeGreaterThan(count);
  });

  it('continues on a second phone with the recovery code, typed loosely', async () => {
    const phone2 = device('uz', '198.51.100.9');
    expect((await phone2.sync()).status).toBe(401);
    const r = await phone2.recover(` ${recoveryCode.toLowerCase().replace(/-/g, ' ')} `);
    expect(r.status).toBe(200);
    expect(r.body.chatId).toBe(chatId);
    await phone2.sync();
    expect(phone2.texts().some((t) => t.includes('yozma ariza bering'))).toBe(true);
  });

  it('says in the visitor’s language when a recovery code is wrong', async () => {
    const r = await device('ky', '198.51.100.10').recover('AAAA-BBBB-CCCC');
    expect(r.status).toBe(404);
    expect(r.body.message).toBe(JSON.parse(readFileSync('locales/ky/common.json', 'utf8')).webapp.recovery.wrong);
  });
});

describe('idle expiry', () => {
  it('keeps a visitor with an open case however long they are away', async () => {
    clock.advanceDays(60);
    await channel.sweep();
    const [chat] = await h.database.db.select().from(webChats).where(eq(webChats.chatId, chatId));
    expect(chat).toBeDefined();
  });

  it('forgets them, like /forget, once the case is closed and the idle time has passed since', async () => {
    expect((await admin.as(admin.tokens.lawyer).post(`/api/cases/${caseId}/close`)).status).toBe(200);
    clock.advanceDays(29);
    await channel.sweep();
    expect(await h.database.db.select().from(webChats).where(eq(webChats.chatId, chatId))).toHaveLength(1);
    clock.advanceDays(2);
    const { expired } = await channel.sweep();
    expect(expired).toBeGreaterThanOrEqual(1);
    expect(await h.database.db.select().from(webChats).where(eq(webChats.chatId, chatId))).toHaveLength(0);
    expect(await h.database.db.select().from(users).where(eq(users.id, chatId))).toHaveLength(0);
    expect(await h.database.db.select().from(webMessages).where(eq(webMessages.chatId, chatId))).toHaveLength(0);
    const [anonymised] = await h.database.db.select().from(cases).where(eq(cases.id, caseId));
    expect(anonymised?.userId).toBeNull();
    expect((await visitor.sync()).status).toBe(401);
  });

  it('keeps a visitor with a reminder still to come, and forgets them after the last one plus the idle time', async () => {
    const v = device('en', '203.0.113.20');
    const id = (await v.start()).body.chatId;
    await v.press('c:y');
    await v.send('/dates');
    await v.press('da');
    await v.press('dk:passport');
    const expiry = new Date(clock().getTime() + 90 * 86_400_000);
    const typed = `${String(expiry.getUTCDate()).padStart(2, '0')}.${String(expiry.getUTCMonth() + 1).padStart(2, '0')}.${expiry.getUTCFullYear()}`;
    await v.send(typed);
    expect(v.texts().join('\n')).toContain(typed);
    clock.advanceDays(45);
    await channel.sweep();
    expect(await h.database.db.select().from(webChats).where(eq(webChats.chatId, id))).toHaveLength(1);
    clock.advanceDays(90);
    await channel.sweep();
    expect(await h.database.db.select().from(webChats).where(eq(webChats.chatId, id))).toHaveLength(0);
  });
});

describe('the bot’s short notices (Telegram’s toasts)', () => {
  it('come back with a button press and with a language change in the app', async () => {
    const v = device('en', '203.0.113.41');
    await v.start();
    await v.press('c:y');
    const ky = JSON.parse(readFileSync('locales/ky/common.json', 'utf8'));
    const changed = await v.call('POST', '/app/api/language', { language: 'ky' });
    expect(changed.body.notices).toEqual([ky.language.saved]);
    await v.sync();
    expect(v.last()).toContain(ky.menu.title);
  });
});

describe('retention', () => {
  it('keeps at most 300 messages a chat and none older than the retention period', async () => {
    const v = device('en', '203.0.113.40');
    const id = (await v.start()).body.chatId;
    const now = clock();
    const old = new Date(now.getTime() - 200 * 86_400_000);
    const rows = Array.from({ length: 310 }, (_, i) => ({ chatId: id, from: 'bot' as const, html: `m${i}`, rev: sql`nextval('web_message_rev_seq')`, createdAt: i < 5 ? old : now }));
    await h.database.db.insert(webMessages).values(rows);
    await channel.sweep();
    const left = await h.database.db.select({ html: webMessages.html }).from(webMessages).where(eq(webMessages.chatId, id)).orderBy(webMessages.id);
    expect(left).toHaveLength(300);
    expect(left.at(-1)?.html).toBe('m309');
    expect(left.some((m) => m.html === 'm0')).toBe(false);
  });
});

describe('/forget in the app', () => {
  it('clears the conversation too, leaving only the confirmation', async () => {
    const v = device('en', '203.0.113.21');
    const id = (await v.start()).body.chatId;
    await v.press('c:y');
    await v.send('/forget');
    await v.press(FORGET_YES);
    const left = await h.database.db.select().from(webMessages).where(eq(webMessages.chatId, id));
    expect(left.filter((m) => !m.deleted).map((m) => m.html)).toEqual([en.forget.done]);
  });
});

describe('bad and abusive input', () => {
  const v = device('ro', '203.0.113.30');
  const ro = JSON.parse(readFileSync('locales/ro/common.json', 'utf8'));
  beforeAll(async () => {
    await v.start();
  });

  it('a message over 4096 characters gets a translated 400', async () => {
    const r = await v.send('a'.repeat(4097));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(ro.webapp.errors['too-long']);
  });

  it('a body over the limit gets a translated 413, not a 5xx', async () => {
    const r = await v.call('POST', '/app/api/send', JSON.stringify({ text: 'a'.repeat(40_000) }), { 'content-type': 'application/json' });
    expect(r.status).toBe(413);
    expect(r.body.message).toBe(ro.webapp.errors['too-long']);
  });

  it('malformed JSON, a wrong type and an empty message get translated 400s', async () => {
    const broken = await v.call('POST', '/app/api/send', '{"text":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toBe(ro.webapp.errors.invalid);
    expect((await v.call('POST', '/app/api/send', { text: 42 })).body.message).toBe(ro.webapp.errors.invalid);
    expect((await v.send('   ')).body.message).toBe(ro.webapp.errors.empty);
    expect((await v.call('POST', '/app/api/press', { messageId: 'x', data: 1 })).status).toBe(400);
    expect((await v.call('GET', '/app/api/messages?after=-5')).status).toBe(400);
    expect((await v.call('POST', '/app/api/session', { language: 'xx' })).status).toBe(400);
  });

  it('a button the visitor was never shown does nothing', async () => {
    const before = (await v.sync()).body.rev;
    const r = await v.call('POST', `/app/api/press?after=${before}`, { messageId: 1, data: FORGET_YES });
    expect(r.status).toBe(200);
    expect(r.body.messages).toEqual([]);
  });

  it('no session gets a translated 401', async () => {
    const r = await device('ru', '203.0.113.31').send('hello');
    expect(r.status).toBe(401);
    expect(r.body.message).toBe(ru.webapp.errors.session);
  });

  it('throttles new sessions per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await device('en', '192.0.2.50').start()).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    const refused = await device('en', '192.0.2.50').start();
    expect(refused.status).toBe(429);
    expect(refused.body.message).toBe(en.webapp.errors['too-many-sessions']);
    // Another address is not affected.
    expect((await device('en', '192.0.2.51').start()).status).toBe(200);
  });

  it('limits requests per visitor', async () => {
    const busy = device('en', '192.0.2.60');
    await busy.start();
    let status = 200;
    for (let i = 0; i < 70 && status === 200; i++) status = (await busy.sync()).status;
    expect(status).toBe(429);
  });

  it('the first load is far under 150 KB compressed', async () => {
    let total = 0;
    const sizes: Record<string, number> = {};
    for (const url of ['/app/', '/app/app.js', '/app/app.css', '/app/strings.json', '/app/manifest.webmanifest', '/app/icon.svg', '/app/icon-192.png', '/app/sw.js']) {
      const r = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, br' } });
      expect(r.statusCode, url).toBe(200);
      // PNG is compressed already; everything else goes gzipped.
      if (!url.endsWith('.png')) expect(r.headers['content-encoding'], url).toBe('gzip');
      sizes[url] = r.rawPayload.length;
      total += r.rawPayload.length;
    }
    console.log(`web app first load: ${(total / 1024).toFixed(1)} KB gzip`, sizes);
    expect(total).toBeLessThan(150 * 1024);
  });

  it('serves the app with a CSP that allows no inline script and nothing from other hosts', async () => {
    const r = await app.inject({ method: 'GET', url: '/app/strings.json' });
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).not.toContain('unsafe-inline');
    const strings = r.json();
    expect(Object.keys(strings.strings)).toEqual(['ru', 'uz', 'tg', 'ky', 'az', 'ro', 'en']);
    expect(strings.strings.tg.rightsCard).toBe(JSON.parse(readFileSync('locales/tg/common.json', 'utf8')).sos.card);
    expect(strings.cardRu).toBe(ru.sos['card-ru']);
  });
});
