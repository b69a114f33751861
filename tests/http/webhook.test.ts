import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp, WEBHOOK_PATH } from '../../src/http/app.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const SECRET = 'a-very-long-webhook-secret-123';
let h: Harness;
let app: FastifyInstance;
beforeAll(async () => {
  h = await createHarness();
  app = await buildHttpApp({ container: h.container, bot: h.bot, webhook: { secretToken: SECRET } });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 77, type: 'private' }, from: { id: 77, is_bot: false, first_name: 'A' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } };

describe('webhook mode', () => {
  it('refuses requests without the right secret-token header', async () => {
    const none = await app.inject({ method: 'POST', url: WEBHOOK_PATH, payload: update });
    const wrong = await app.inject({ method: 'POST', url: WEBHOOK_PATH, payload: update, headers: { 'x-telegram-bot-api-secret-token': 'nope' } });
    expect(none.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(h.api.calls).toHaveLength(0);
  });

  it('handles an update with the right secret', async () => {
    const ok = await app.inject({ method: 'POST', url: WEBHOOK_PATH, payload: update, headers: { 'x-telegram-bot-api-secret-token': SECRET } });
    expect(ok.statusCode).toBe(200);
    expect(h.api.calls.map((c) => c.method)).toEqual(['sendMessage']);
  });

  it('has no local-mode routes', async () => {
    expect((await app.inject({ method: 'POST', url: '/local/updates', payload: update })).statusCode).toBe(404);
  });
});
