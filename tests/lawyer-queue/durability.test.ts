/**
 * Nothing a migrant or a lawyer sends is lost: not when Telegram fails, not when
 * the process restarts between the question and the answer.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { caseIdShown, createHarness, createTestClock, type Harness, onboard, openCase } from '../helpers/harness.js';

const clock = createTestClock('2026-03-02T10:00:00+03:00');
let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness({ clock, retry: false });
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

describe('durability', () => {
  it('keeps a question half-written when the process restarts, and sends it after', async () => {
    await onboard(h, 80_001, 'az');
    await h.press(80_001, 'a');
    await h.send(80_001, 'Qeydiyyat sualı');
    await h.restart();
    await h.press(80_001, 'cs');
    const id = caseIdShown(h, 80_001);
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${id}`);
    expect(detail.body.messages[0].text).toBe('Qeydiyyat sualı');
  });

  it('keeps the answer when Telegram fails, shows the failure, retries, and delivers it once', async () => {
    const id = await openCase(h, 80_002, 'ro', 'Întrebare despre patentă');
    await api.as(api.tokens.lawyer).post(`/api/cases/${id}/reply`, { text: 'Răspunsul juristului' });
    h.api.fail({ method: 'sendMessage', code: 502 });
    await h.deliver();
    let detail = await api.as(api.tokens.lawyer).get(`/api/cases/${id}`);
    expect(detail.body.messages.at(-1).delivery).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('Internal Server Error') });
    expect(h.texts(80_002).some((t) => t.includes('Răspunsul juristului'))).toBe(false);

    // The process restarts; the retry is due after the backoff.
    await h.restart();
    clock.advanceDays(1 / 24);
    await h.deliver();
    detail = await api.as(api.tokens.lawyer).get(`/api/cases/${id}`);
    expect(detail.body.messages.at(-1).delivery).toMatchObject({ status: 'sent', attempts: 2 });
    expect(h.texts(80_002).filter((t) => t.includes('Răspunsul juristului'))).toHaveLength(1);
    await h.deliver();
    expect(h.texts(80_002).filter((t) => t.includes('Răspunsul juristului'))).toHaveLength(1);
  });

  it('stores the migrant’s reply before answering, so a restart right after loses nothing', async () => {
    const id = await openCase(h, 80_003, 'en', 'My employer kept my passport');
    h.api.fail({ method: 'sendMessage', code: 500, times: 1 }); // the "passed on" notice fails
    await h.send(80_003, 'He says he will give it back next week');
    await h.restart();
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${id}`);
    expect(detail.body.messages.map((m: { text: string }) => m.text)).toEqual(['My employer kept my passport', 'He says he will give it back next week']);
  });

  it('marks a delivery to a user who blocked the bot as blocked, without retrying', async () => {
    const id = await openCase(h, 80_004, 'uz', 'Savol');
    await api.as(api.tokens.lawyer).post(`/api/cases/${id}/reply`, { text: 'Javob' });
    h.api.block(80_004);
    await h.deliver();
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${id}`);
    expect(detail.body.messages.at(-1).delivery).toMatchObject({ status: 'blocked', attempts: 1 });
    expect((await h.container.users.find(80_004))?.blockedAt).toBeInstanceOf(Date);
    h.api.block(80_004, false);
  });

  it('lets a lawyer send a failed delivery again', async () => {
    const id = await openCase(h, 80_005, 'ru', 'Вопрос');
    await api.as(api.tokens.lawyer).post(`/api/cases/${id}/reply`, { text: 'Ответ юриста' });
    h.api.fail({ method: 'sendMessage', code: 400, description: 'Bad Request: chat not found' });
    await h.deliver();
    expect((await api.as(api.tokens.lawyer).get(`/api/cases/${id}`)).body.messages.at(-1).delivery.status).toBe('failed');
    expect((await api.as(api.tokens.lawyer).post(`/api/cases/${id}/deliveries/retry`)).body).toEqual({ requeued: 1 });
    await h.deliver();
    expect(h.texts(80_005).some((t) => t.includes('Ответ юриста'))).toBe(true);
  });
});

describe('privacy', () => {
  it('/forget withdraws open cases and erases the personal data of all of them, keeping anonymous records', async () => {
    const id = await openCase(h, 80_010, 'tg', 'Саволи шахсӣ');
    await api.as(api.tokens.lawyer).post(`/api/cases/${id}/reply`, { text: 'Ҷавоби ҳуқуқшинос' });
    await h.deliver();
    await h.send(80_010, '/forget');
    await h.press(80_010, 'x:y');
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${id}`);
    expect(detail.body.case).toMatchObject({ status: 'withdrawn', anonymised: true, summaryRu: '[удалено]', citizenship: null });
    expect(detail.body.messages.map((m: { text: string }) => m.text)).toEqual(['[удалено]', '[удалено]']);
    expect(JSON.stringify(detail.body)).not.toContain('Саволи шахсӣ');
    // The lawyer's answer, as queued for delivery, is gone as well.
    const left = await h.database.db.select().from(outbox).where(eq(outbox.chatId, '80010'));
    expect(left).toEqual([]);
    expect((await api.as(api.tokens.staff).get('/api/stats')).body.byLanguage.tg).toBeGreaterThanOrEqual(1);
  });

  it('anonymises closed cases after the retention period, not before', async () => {
    const id = await openCase(h, 80_011, 'ky', 'Суроо');
    await api.as(api.tokens.lawyer).post(`/api/cases/${id}/close`);
    expect(await h.container.cases.anonymiseExpired(180)).toBe(0);
    clock.advanceDays(181);
    expect(await h.container.cases.anonymiseExpired(180)).toBeGreaterThanOrEqual(1);
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${id}`);
    expect(detail.body.case.anonymised).toBe(true);
    expect(detail.body.messages[0].text).toBe('[удалено]');
  });
});

describe('the queue', () => {
  it('pages through the queue with a cursor, in the same order, without repeats', async () => {
    const all = (await api.as(api.tokens.lawyer).get('/api/cases?limit=100')).body.items.map((c: { id: number }) => c.id);
    const paged: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.as(api.tokens.lawyer).get(`/api/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.body.items.map((c: { id: number }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  it('filters by language and assignee', async () => {
    const ro = await api.as(api.tokens.lawyer).get('/api/cases?language=ro');
    expect(ro.body.items.every((c: { language: string }) => c.language === 'ro')).toBe(true);
    const mine = await api.as(api.tokens.lawyer).get('/api/cases?assignee=me');
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect((await api.as(api.tokens.lawyer2).get('/api/cases?assignee=me')).body.items).toEqual([]);
  });
});
