/**
 * Local mode through its HTTP routes, as a script or the browser chat uses it:
 * updates in, Bot API calls out, and the chat as the user sees it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let app: FastifyInstance;
beforeAll(async () => {
  h = await createHarness();
  app = await buildHttpApp({ container: h.container, bot: h.bot, local: { api: h.api } });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const from = { id: 555, first_name: 'Алишер', language_code: 'uz' };
const post = (body: unknown) => app.inject({ method: 'POST', url: '/local/updates', payload: body as object });

describe('local mode HTTP', () => {
  it('serves the browser chat page and its assets', async () => {
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('chat.js');
    const js = await app.inject('/chat.js');
    expect(js.headers['content-type']).toContain('javascript');
  });

  it('takes a Telegram update and answers with the Bot API calls the bot made', async () => {
    const res = await post({ message: { message_id: 0, chat: { id: 555, type: 'private' }, from, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.calls).toHaveLength(1);
    expect(body.calls[0]).toMatchObject({ method: 'sendMessage', payload: { chat_id: 555 } });
  });

  it('shows the chat as the user sees it, with edits applied and buttons', async () => {
    const chat = (await app.inject('/local/chats/555')).json();
    expect(chat.messages.map((m: { from: string }) => m.from)).toEqual(['user', 'bot']);
    const langMessage = chat.messages[1];
    expect(langMessage.buttons.flat().map((b: { callback_data: string }) => b.callback_data)).toContain('l:uz');

    const res = await post({ callback_query: { from, data: 'l:uz', message: { message_id: langMessage.id, chat: { id: 555, type: 'private' } } } });
    expect(res.json().calls.map((c: { method: string }) => c.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    const after = (await app.inject('/local/chats/555')).json();
    expect(after.messages[1]).toMatchObject({ id: langMessage.id, edited: true });
    expect(after.revision).toBeGreaterThan(chat.revision);
  });

  it('wakes a long-poll as soon as the chat changes', async () => {
    const { revision } = (await app.inject('/local/chats/555')).json();
    const waiting = app.inject(`/local/chats/555/wait?after=${revision}`);
    await post({ callback_query: { from, data: 'c:y', message: { message_id: 2, chat: { id: 555, type: 'private' } } } });
    const woke = (await waiting).json();
    expect(woke.revision).toBeGreaterThan(revision);
  });

  it('refuses malformed updates with a 400 and a message, and keeps working', async () => {
    for (const bad of [{}, { message: { chat: { id: 'x' } } }, { message: { chat: { id: 1 }, from, text: 'x'.repeat(5000) } }, ['nonsense']]) {
      const res = await post(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toEqual(expect.any(String));
    }
    const broken = await app.inject({ method: 'POST', url: '/local/updates', headers: { 'content-type': 'application/json' }, payload: '{"message":' });
    expect(broken.statusCode).toBe(400);
    const text = await app.inject({ method: 'POST', url: '/local/updates', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    expect(text.statusCode).toBe(400);
    expect(text.json().error).toEqual(expect.any(String));
    expect((await app.inject('/local/chats/abc')).statusCode).toBe(400);
    expect((await app.inject('/healthz')).json()).toMatchObject({ ok: true });
  });

  it('reports health with the database and the flows loaded', async () => {
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json().flows).toEqual(h.container.flows.list.map((f) => `${f.id}@${f.version}`));
  });

  it('counts flow steps not yet written, and /healthz reports none once they are', async () => {
    const state = { flowId: 'work-patent', version: h.container.flows.get('work-patent')!.version, node: 'citizenship', answers: {}, stack: [] };
    await h.container.users.setLanguage(80_001, 'en', h.clock());
    h.container.runs.save(80_001, state, h.clock());
    expect(h.container.runs.backlog).toBe(1);
    await h.container.runs.settle(80_001);
    expect((await app.inject('/healthz')).json().flowStateBacklog).toBe(0);
  });

  it('keeps a file the browser chat attaches in the Bot API stand-in and serves it through getFile', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 7, 7, 0xff, 0xd9]);
    const up = await app.inject({ method: 'POST', url: '/local/files', headers: { 'content-type': 'image/jpeg' }, payload: jpeg });
    expect(up.statusCode).toBe(200);
    const { file_id, file_path } = up.json();
    expect(file_path).toMatch(/^photos\/file_\d+\.jpg$/);
    const info = await (await h.api.fetch(`https://api.telegram.org/bot1:x/getFile`, { method: 'POST', body: JSON.stringify({ file_id }) })).json();
    expect(info.result.file_path).toBe(file_path);
    const bytes = Buffer.from(await (await h.api.fetch(`https://api.telegram.org/file/bot1:x/${file_path}`)).arrayBuffer());
    expect(bytes.equals(jpeg)).toBe(true);
    const refused = await app.inject({ method: 'POST', url: '/local/files', headers: { 'content-type': 'text/html' }, payload: '<b>x</b>' });
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error).toMatch(/Unsupported Media Type/);
  });
});
