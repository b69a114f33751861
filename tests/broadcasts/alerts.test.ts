/**
 * Legislation alerts from draft to delivery: targeting, the Russian fallback,
 * four-eyes approval, cancel, correction, 429 and 403, a crashed sender's lease,
 * and two senders sharing one broadcast without sending anything twice.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertDeliveries } from '../../src/db/schema/index.js';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { senderFor } from '../helpers/broadcast.js';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { walkScenario } from '../helpers/walk.js';

const clock = createTestClock('2026-11-25T12:00:00+03:00');
let h: Harness;
let api: ApiClient;

// Users: language, citizenship (via settings), and whether they walked the patent flow.
const PEOPLE = [
  { id: 5001, lang: 'uz', country: 'uz', patent: true },
  { id: 5002, lang: 'tg', country: 'tj', patent: true },
  { id: 5003, lang: 'ru', country: 'kg', patent: false },
  { id: 5004, lang: 'en', country: undefined, patent: true },
  { id: 5005, lang: 'ky', country: 'kg', patent: false },
];

beforeAll(async () => {
  h = await createHarness({ clock });
  api = await createApiClient(h);
  for (const p of PEOPLE) {
    await onboard(h, p.id, p.lang);
    if (p.country) {
      await h.press(p.id, 'al');
      await h.press(p.id, 'cz');
      await h.press(p.id, `cz:${p.country}`);
    }
    if (p.patent) {
      await h.send(p.id, '/menu');
      // A citizenship given in the alert settings is a fact: the patent flow does not ask it again.
      const steps = p.country ? [{ choose: 'has-rvp' }] : [{ choose: 'other-visa-free' }, { choose: 'has-rvp' }];
      await walkScenario(h, p.id, 'work-patent', { name: 'x', today: '2026-11-25', outcome: 'out-resident', steps });
    }
  }
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

const staff = () => api.as(api.tokens.staff);
const lawyer = () => api.as(api.tokens.lawyer);
const messagesOf = (chatId: number) => h.api.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === chatId);

async function approvedAlert(body: object) {
  const created = await staff().post('/api/alerts', body);
  expect(created.status).toBe(201);
  expect((await lawyer().post(`/api/alerts/${created.body.alert.id}/approve`)).status).toBe(200);
  return created.body;
}

describe('drafting and review', () => {
  it('validates texts before saving: Russian required, Telegram HTML only', async () => {
    expect((await staff().post('/api/alerts', { texts: { uz: 'x' }, audience: { everyone: true } })).body.error).toMatch(/ru is required/);
    expect((await staff().post('/api/alerts', { texts: { ru: '<b>не закрыт' }, audience: { everyone: true } })).body.error).toMatch(/never closed/);
    expect((await staff().post('/api/alerts', { texts: { ru: '<div>x</div>' }, audience: { everyone: true } })).status).toBe(400);
    expect((await staff().post('/api/alerts', { texts: { ru: 'x' }, audience: {} })).body.error).toMatch(/audience/);
  });

  it('says how many users the audience has and how many get the Russian fallback', async () => {
    const res = await staff().post('/api/alerts', { texts: { ru: 'Цена патента', uz: 'Patent narxi' }, audience: { topics: ['patent'] } });
    // Walked the patent flow: 5001 (uz), 5002 (tg → fallback), 5004 (en → fallback).
    expect(res.body.audience).toEqual({ recipients: 3, fallback: 2 });
    expect((await staff().post('/api/alerts/audience', { audience: { citizenships: ['kg'] }, languages: ['ru'] })).body).toEqual({ recipients: 2, fallback: 1 });
  });

  it('needs a second person to approve: never the author, never a staff member', async () => {
    const created = await staff().post('/api/alerts', { texts: { ru: 'Текст' }, audience: { everyone: true } });
    const id = created.body.alert.id;
    expect((await staff().post(`/api/alerts/${id}/send`)).status).toBe(409); // not approved
    expect((await staff().post(`/api/alerts/${id}/approve`)).status).toBe(403);
    const admin = await api.as(api.tokens.admin).post('/api/alerts', { texts: { ru: 'Текст' }, audience: { everyone: true } });
    const own = await api.as(api.tokens.admin).post(`/api/alerts/${admin.body.alert.id}/approve`);
    expect(own.status).toBe(409);
    expect(own.body.error).toMatch(/author cannot approve/);
    expect((await lawyer().post(`/api/alerts/${id}/approve`)).body.status).toBe('approved');
    // Editing sends it back for review.
    expect((await staff().patch(`/api/alerts/${id}`, { texts: { ru: 'Новый текст' } })).body.status).toBe('draft');
  });

  it('previews every language in the author’s own chat', async () => {
    const me = (await h.container.staff.list()).find((s) => s.name === 'Вера')!;
    await h.container.staff.setTelegramChat(me.id, '777');
    const created = await staff().post('/api/alerts', { texts: { ru: 'Превью', uz: 'Koʻrib chiqish' }, audience: { everyone: true } });
    expect((await staff().post(`/api/alerts/${created.body.alert.id}/preview`)).body).toEqual({ chatId: '777', messages: 2 });
    await h.deliver();
    expect(h.api.view(777).messages.map((m) => m.html)).toEqual(['[ru]\nПревью', '[uz]\nKoʻrib chiqish']);
  });
});

describe('sending', () => {
  it('reaches exactly the audience, each in their language or in Russian', async () => {
    const { alert } = await approvedAlert({ texts: { ru: '<b>Патент</b> дорожает', uz: '<b>Patent</b> qimmatlashadi' }, audience: { topics: ['patent'] } });
    expect((await staff().post(`/api/alerts/${alert.id}/send`)).body.status).toBe('sending');
    await senderFor(h).runOnce();
    expect(messagesOf(5001).at(-1)?.payload.text).toBe('<b>Patent</b> qimmatlashadi');
    expect(messagesOf(5002).at(-1)?.payload.text).toBe('<b>Патент</b> дорожает');
    expect(messagesOf(5004).at(-1)?.payload.text).toBe('<b>Патент</b> дорожает');
    expect(messagesOf(5003).some((c) => String(c.payload.text).includes('Патент</b> дорожает'))).toBe(false);
    const progress = (await staff().get(`/api/alerts/${alert.id}`)).body;
    expect(progress.alert.status).toBe('done');
    expect(progress.progress).toMatchObject({ total: 3, sent: 3, pending: 0, fallback: 2, possibleDuplicates: 0 });
    const who = (await staff().get(`/api/alerts/${alert.id}/recipients?status=sent`)).body.map((r: { userId: number }) => r.userId).sort();
    expect(who).toEqual([5001, 5002, 5004]);
  });

  it('targets by language and citizenship together, and honours a topic switched off', async () => {
    await h.send(5001, '/alerts');
    await h.press(5001, 'tp:patent'); // 5001 switches the patent topic off
    const { alert } = await approvedAlert({ texts: { ru: 'Только для Кыргызстана' }, audience: { citizenships: ['kg'], languages: ['ky'] } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    const second = await approvedAlert({ texts: { ru: 'Патент снова' }, audience: { topics: ['patent'] } });
    await staff().post(`/api/alerts/${second.alert.id}/send`);
    await senderFor(h).runOnce();
    expect((await staff().get(`/api/alerts/${alert.id}/recipients`)).body.map((r: { userId: number }) => r.userId)).toEqual([5005]);
    expect((await staff().get(`/api/alerts/${second.alert.id}/recipients`)).body.map((r: { userId: number }) => r.userId).sort()).toEqual([5002, 5004]);
  });

  it('skips users who stopped alerts, and includes them again after they re-subscribe', async () => {
    await h.send(5003, '/stop_alerts');
    const first = await approvedAlert({ texts: { ru: 'Всем' }, audience: { everyone: true } });
    await staff().post(`/api/alerts/${first.alert.id}/send`);
    expect((await staff().get(`/api/alerts/${first.alert.id}/recipients`)).body.map((r: { userId: number }) => r.userId)).not.toContain(5003);
    await h.send(5003, '/alerts');
    await h.press(5003, 'ao:1');
    const second = await approvedAlert({ texts: { ru: 'Всем снова' }, audience: { everyone: true } });
    await staff().post(`/api/alerts/${second.alert.id}/send`);
    expect((await staff().get(`/api/alerts/${second.alert.id}/recipients`)).body.map((r: { userId: number }) => r.userId)).toContain(5003);
    await senderFor(h).runOnce();
  });

  it('marks a user who blocked the bot (403) without retrying, and skips them next time', async () => {
    h.api.block(5004);
    const { alert } = await approvedAlert({ texts: { ru: 'Блок' }, audience: { everyone: true } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    await senderFor(h).runOnce();
    const rows = await h.database.db.select().from(alertDeliveries).where(and(eq(alertDeliveries.alertId, alert.id), eq(alertDeliveries.userId, 5004)));
    expect(rows[0]).toMatchObject({ status: 'blocked', attempts: 1 });
    expect((await h.container.users.find(5004))?.blockedAt).toBeInstanceOf(Date);
    expect((await staff().post('/api/alerts/audience', { audience: { everyone: true } })).body.recipients).toBe(4);
    h.api.block(5004, false);
    await h.update({
      my_chat_member: {
        chat: { id: 5004, type: 'private' },
        from: { id: 5004, is_bot: false, first_name: 'A' },
        date: 0,
        old_chat_member: { status: 'kicked', user: { id: 1, is_bot: true, first_name: 'P' }, until_date: 0 },
        new_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'P' } },
      },
    });
    expect((await staff().post('/api/alerts/audience', { audience: { everyone: true } })).body.recipients).toBe(5);
  });

  it('waits out a 429 and delivers everything, counting no extra attempt', async () => {
    const { alert } = await approvedAlert({ texts: { ru: 'Лимит' }, audience: { languages: ['uz'] } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    h.api.fail({ method: 'sendMessage', code: 429, retryAfter: 1 });
    const sender = senderFor(h);
    await sender.runOnce(); // the 429: nothing sent yet, retry scheduled after 1 s
    clock.set(new Date(clock().getTime() + 1500).toISOString());
    await sender.runOnce();
    const [row] = await h.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alert.id));
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('starts a scheduled alert at its time', async () => {
    const { alert } = await approvedAlert({ texts: { ru: 'Завтра' }, audience: { languages: ['ky'] }, startAt: '2026-11-26T09:00:00+03:00' });
    expect((await staff().post(`/api/alerts/${alert.id}/send`)).body.status).toBe('scheduled');
    await senderFor(h).runOnce();
    expect((await staff().get(`/api/alerts/${alert.id}`)).body.progress.sent).toBe(0);
    clock.set('2026-11-26T09:01:00+03:00');
    await senderFor(h).runOnce();
    expect((await staff().get(`/api/alerts/${alert.id}`)).body.alert.status).toBe('done');
    expect(messagesOf(5005).at(-1)?.payload.text).toBe('Завтра');
  });

  it('cancel stops the remaining sends', async () => {
    const { alert } = await approvedAlert({ texts: { ru: 'Отмена' }, audience: { everyone: true } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    expect((await staff().post(`/api/alerts/${alert.id}/cancel`)).body.status).toBe('cancelled');
    const before = h.api.calls.length;
    await senderFor(h).runOnce();
    expect(h.api.calls.length).toBe(before);
    expect((await staff().get(`/api/alerts/${alert.id}`)).body.progress).toMatchObject({ sent: 0, cancelled: 5 });
  });

  it('corrects every delivered copy with a visible mark', async () => {
    const { alert } = await approvedAlert({ texts: { ru: 'Цена 9 000 ₽', uz: 'Narx 9 000 ₽' }, audience: { languages: ['uz', 'ru'] } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    await senderFor(h).runOnce();
    expect((await staff().post(`/api/alerts/${alert.id}/correct`, { texts: { ru: 'Цена 10 000 ₽', uz: 'Narx 10 000 ₽' } })).status).toBe(200);
    await senderFor(h).runOnce();
    const uz = h.container.translator.forLanguage('uz');
    const copy = h.api.view(5001).messages.find((m) => m.html.includes('Narx'));
    expect(copy?.edited).toBe(true);
    expect(copy?.html).toBe(`${uz('alerts.corrected')}\n\nNarx 10 000 ₽`);
    expect((await staff().get(`/api/alerts/${alert.id}`)).body.progress).toMatchObject({ corrected: 2, correctionPending: 0 });
  });

  it('applies a correction made while the alert is still going out', async () => {
    const { alert } = await approvedAlert({ texts: { ru: 'Срок 10 дней', uz: 'Muddat 10 kun' }, audience: { languages: ['uz', 'ru'] } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    const sender = senderFor(h, 20); // one send every 50 ms
    const before = h.api.calls.length;
    const running = sender.runOnce();
    // The mistake is noticed as soon as the first copy has gone out.
    while (!h.api.calls.slice(before).some((c) => c.method === 'sendMessage')) await new Promise((r) => setTimeout(r, 5));
    expect((await staff().post(`/api/alerts/${alert.id}/correct`, { texts: { ru: 'Срок 15 дней', uz: 'Muddat 15 kun' } })).status).toBe(200);
    await running;
    const deliveries = await h.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alert.id));
    expect(deliveries.length).toBe(2);
    expect(deliveries.filter((d) => d.correction === 'failed' || d.correction === 'pending')).toEqual([]);
    for (const d of deliveries) {
      const copy = h.api.view(d.chatId).messages.find((m) => /Срок|Muddat/.test(m.html));
      expect(copy?.html).toContain('15');
    }
  });

  it('gives back what it had claimed but not sent when stopped, so nothing is reported as a possible duplicate', async () => {
    const { alert } = await approvedAlert({ texts: { ru: 'Остановка' }, audience: { everyone: true } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    const sender = senderFor(h, 10); // one send every 100 ms
    const before = h.api.calls.length;
    sender.start(60_000);
    while (!h.api.calls.slice(before).some((c) => c.method === 'sendMessage')) await new Promise((r) => setTimeout(r, 5));
    await sender.stop();
    const unsent = (await h.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alert.id))).filter((d) => d.status === 'pending');
    expect(unsent.length).toBeGreaterThan(0);
    expect(unsent.every((d) => d.leaseUntil === null && d.attempts === 0)).toBe(true);
    await senderFor(h).runOnce();
    expect((await staff().get(`/api/alerts/${alert.id}`)).body.progress).toMatchObject({ pending: 0, possibleDuplicates: 0 });
  });

  it('takes over a crashed sender’s deliveries when its lease runs out, and reports them as possible duplicates', async () => {
    const { alert } = await approvedAlert({ texts: { ru: 'После сбоя' }, audience: { everyone: true } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    // A process claimed two deliveries and was killed before recording anything.
    const claimed = (await h.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alert.id))).slice(0, 2);
    for (const d of claimed) {
      await h.database.db.update(alertDeliveries).set({ attempts: 1, leaseUntil: new Date(clock().getTime() + 30_000) }).where(eq(alertDeliveries.id, d.id));
    }
    await senderFor(h).runOnce();
    expect((await staff().get(`/api/alerts/${alert.id}`)).body.progress).toMatchObject({ sent: 3, pending: 2 });
    clock.set(new Date(clock().getTime() + 31_000).toISOString());
    await senderFor(h).runOnce();
    expect((await staff().get(`/api/alerts/${alert.id}`)).body.progress).toMatchObject({ sent: 5, pending: 0, possibleDuplicates: 2 });
  });

  it('shares one broadcast between two senders without sending anything twice', async () => {
    const { alert } = await approvedAlert({ texts: { ru: 'Два отправителя' }, audience: { everyone: true } });
    await staff().post(`/api/alerts/${alert.id}/send`);
    await Promise.all([senderFor(h, 500).runOnce(), senderFor(h, 500).runOnce()]);
    for (const p of PEOPLE) {
      expect(messagesOf(p.id).filter((c) => c.payload.text === 'Два отправителя')).toHaveLength(1);
    }
  });

  it('records who created, approved, sent, cancelled and corrected each alert', async () => {
    const actions = (await api.as(api.tokens.admin).get('/api/audit?limit=500')).body.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['alert.create', 'alert.approve', 'alert.send', 'alert.cancel', 'alert.correct', 'alert.preview']));
  });
});
