/** Local mode's /local/updates while the database is gone: 503, and the update is not taken as handled. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/http/app.js';
import { createHarness, type Harness, onboard } from '../helpers/harness.js';

let h: Harness;
let app: FastifyInstance;
beforeAll(async () => {
  h = await createHarness();
  app = await buildHttpApp({ container: h.container, bot: h.bot, local: { api: h.api } });
});
afterAll(async () => {
  await app.close();
  await h.close().catch(() => {}); // the database is closed already
});

describe('/local/updates during a database outage', () => {
  it('answers 503 with a message, and the user hears once that the bot is unavailable', async () => {
    await onboard(h, 8601, 'ky');
    await h.database.close();
    const post = (id: number) =>
      app.inject({ method: 'POST', url: '/local/updates', payload: { update_id: id, message: { chat: { id: 8601, type: 'private' }, from: { id: 8601, first_name: 'A', language_code: 'ky' }, text: 'Салам' } } });
    const first = await post(700);
    expect(first.statusCode).toBe(503);
    expect(first.json().error).toMatch(/temporarily unavailable/);
    expect((await post(701)).statusCode).toBe(503);
    const ky = h.container.translator.forLanguage('ky')('faults.unavailable');
    expect(h.texts(8601).filter((x) => x === ky)).toHaveLength(1);
  });
});
