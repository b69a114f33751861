/**
 * The alert sender holds its rate when Telegram is slow: a call that hangs stops
 * holding up the others after a short wait (its answer is still recorded when it
 * comes), and one that hangs past the hard timeout is cut off and sent again,
 * reported as a possible duplicate.
 */
import { eq, sql } from 'drizzle-orm';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcastSender } from '../../src/broadcasts/broadcast-sender.js';
import { alertDeliveries } from '../../src/db/schema/index.js';
import { LOCAL_BOT_TOKEN } from '../../src/local/local-bot.js';
import { createLogger } from '../../src/logger.js';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, createTestClock, type Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait-for.js';

const clock = createTestClock('2026-11-25T12:00:00+03:00');
const FIRST = 6_100_000;
const N = 40;
let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness({ clock });
  api = await createApiClient(h);
  await h.database.db.execute(sql.raw(`insert into users (id, language, consented_at) select ${FIRST} + g, 'ru', now() from generate_series(0, ${N - 1}) g`));
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

const sender = (o: { sendWaitMs: number; leaseMs?: number }) =>
  createBroadcastSender({
    db: h.database.db,
    api: new Api(LOCAL_BOT_TOKEN, { fetch: h.api.fetch }),
    alertsService: h.container.alerts,
    translator: h.container.translator,
    clock,
    logger: createLogger('silent'),
    onBlocked: async () => {},
    rate: 200,
    concurrency: 4,
    ...o,
  });

async function sendAlert(text: string): Promise<number> {
  const { alert } = (await api.as(api.tokens.staff).post('/api/alerts', { texts: { ru: text }, audience: { everyone: true } })).body;
  expect((await api.as(api.tokens.lawyer).post(`/api/alerts/${alert.id}/approve`)).status).toBe(200);
  expect((await api.as(api.tokens.staff).post(`/api/alerts/${alert.id}/send`)).status).toBe(200);
  return alert.id;
}
const received = (text: string) => Array.from({ length: N }, (_, i) => h.api.view(FIRST + i).messages.filter((m) => m.html === text).length);

describe('alerts while Telegram is slow', () => {
  it('keep going past hanging calls, and record those calls when they answer', async () => {
    await sendAlert('Первое');
    h.api.hold('sendMessage', 3_000, 4); // as many hanging calls as the sender may wait for at once
    const run = sender({ sendWaitMs: 100 }).runOnce();
    // Everyone else has the alert while the four calls still hang.
    await waitFor(() => received('Первое').filter((n) => n === 1).length === N - 4, 'the others to receive it');
    expect(received('Первое').filter((n) => n === 0)).toHaveLength(4);
    await run;
    expect(received('Первое').every((n) => n === 1)).toBe(true);
  });

  it('cut off a call that hangs past the hard timeout and send it again, reported as a possible duplicate', async () => {
    const alertId = await sendAlert('Второе');
    h.api.hold('sendMessage', 60_000, 1);
    // A lease of 1 s leaves a hard timeout of 0.5 s per call.
    const s = sender({ sendWaitMs: 100, leaseMs: 1_000 });
    await s.runOnce();
    clock.set(new Date(clock().getTime() + 60_000).toISOString()); // the retry's backoff
    await s.runOnce();
    expect(received('Второе').every((n) => n === 1)).toBe(true);
    const rows = await h.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alertId));
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(N);
    expect(rows.filter((r) => r.reclaimed)).toHaveLength(1);
  });
});
