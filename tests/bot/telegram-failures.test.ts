/** What the user gets when Telegram or our own database fails. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, onboard } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const t = (lng: string, key: string) => h.container.translator.forLanguage(lng as 'ru')(key);

describe('Telegram failures', () => {
  it('waits out a 429 flood limit and still delivers the answer', async () => {
    await onboard(h, 4001, 'ru');
    h.api.fail({ method: 'sendMessage', code: 429, retryAfter: 1 });
    const started = Date.now();
    await h.send(4001, '/help');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(h.last(4001).html).toBe(t('ru', 'help.text'));
    const sends = h.api.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === 4001);
    expect(sends.at(-1)?.payload.text).toBe(sends.at(-2)?.payload.text); // the same message, retried
  });

  it('retries a Telegram 5xx and a network error', async () => {
    h.api.fail({ method: 'sendMessage', code: 502 });
    h.api.fail({ method: 'sendMessage', code: 500, network: true });
    const shown = h.texts(4001).length;
    await h.send(4001, '/help');
    expect(h.texts(4001)).toHaveLength(shown + 1);
    expect(h.last(4001).html).toBe(t('ru', 'help.text'));
  });

  it('survives a user who blocked the bot (403) and keeps serving others', async () => {
    await onboard(h, 4002, 'en');
    h.api.block(4002);
    await h.send(4002, '/help');
    h.api.block(4002, false);
    await h.send(4001, '/menu');
    expect(h.last(4001).html).toBe(t('ru', 'menu.title'));
  });
});

describe('error boundary', () => {
  it('tells the user once, in their language, that the bot is unavailable when the database is gone, and defers the update', async () => {
    const broken = await createHarness();
    await onboard(broken, 4003, 'uz');
    await broken.database.close(); // the database goes away mid-conversation
    // The update is not swallowed: handleUpdate rejects, so the transport asks for it again.
    await expect(broken.send(4003, '/menu', { languageCode: 'uz' })).rejects.toThrow(/deferred/);
    expect(broken.last(4003).html).toBe(broken.container.translator.forLanguage('uz')('faults.unavailable'));
    // Once per outage: the next update of the same chat brings no second apology.
    const shown = broken.texts(4003).length;
    await expect(broken.send(4003, '/help', { languageCode: 'uz' })).rejects.toThrow(/deferred/);
    expect(broken.texts(4003)).toHaveLength(shown);
    // Another user is told too, and the bot keeps running.
    await expect(broken.send(4004, '/start')).rejects.toThrow(/deferred/);
    expect(broken.texts(4004)).toEqual([broken.container.translator.forLanguage('ru')('faults.unavailable')]);
  });
});
