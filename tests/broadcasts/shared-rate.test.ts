/**
 * The alert rate holds for the sum of the processes: two senders (as two bot
 * processes would, each configured with the same BROADCAST_RATE) share one alert
 * on one database. Telegram sees at most the configured rate in total, both
 * senders do part of the work, and every user gets the alert exactly once.
 * PostgreSQL when TEST_DATABASE_URL is set (separate connections), else PGlite.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senderFor } from '../helpers/broadcast.js';
import { createHarness, createTestClock, type Harness } from '../helpers/harness.js';

const clock = createTestClock('2026-11-25T12:00:00+03:00');
const FIRST = 6_300_000;
const N = 120;
const RATE = 40;
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock });
  await h.database.db.execute(sql.raw(`insert into users (id, language, consented_at) select ${FIRST} + g, 'ru', now() from generate_series(0, ${N - 1}) g`));
});
afterAll(() => h.close());

describe('two senders on one database', () => {
  it('send at most the configured rate together, each user exactly once', async () => {
    const author = await h.container.staff.add('Author', 'staff');
    const reviewer = await h.container.staff.add('Reviewer', 'lawyer');
    const alert = await h.container.alerts.create(author.member, { texts: { ru: 'Двое на одной скорости' }, audience: { everyone: true } });
    await h.container.alerts.approve(reviewer.member, alert.id);
    await h.container.alerts.send(alert.id);

    const sends: { at: number; by: 'a' | 'b' }[] = [];
    const a = senderFor(h, RATE, () => sends.push({ at: performance.now(), by: 'a' }));
    const b = senderFor(h, RATE, () => sends.push({ at: performance.now(), by: 'b' }));
    await Promise.all([a.runOnce(), b.runOnce()]);

    const got = Array.from({ length: N }, (_, i) => h.api.view(FIRST + i).messages.filter((m) => m.html === 'Двое на одной скорости').length);
    expect(got.every((n) => n === 1)).toBe(true);
    expect(sends).toHaveLength(N);
    // Both did part of the work (how much each depends on the machine's load).
    expect(sends.filter((s) => s.by === 'a').length).toBeGreaterThan(0);
    expect(sends.filter((s) => s.by === 'b').length).toBeGreaterThan(0);
    // Together, no faster than the rate (each alone would have sent at RATE: twice that in sum).
    const seconds = (sends.at(-1)!.at - sends[0]!.at) / 1000;
    const rate = (N - 1) / seconds;
    expect(rate).toBeLessThanOrEqual(RATE * 1.1);
    // And in any one second, at most the rate and the slack a late slot may still be used in (a quarter second).
    const most = Math.max(...sends.map((s) => sends.filter((x) => x.at >= s.at && x.at < s.at + 1000).length));
    expect(most).toBeLessThanOrEqual(RATE * 1.25 + 1);
    console.log(`two senders: ${N} sends in ${seconds.toFixed(2)} s, ${rate.toFixed(1)}/s of ${RATE}/s (a ${sends.filter((s) => s.by === 'a').length}, b ${sends.filter((s) => s.by === 'b').length}), at most ${most} in one second`);
  });
});
