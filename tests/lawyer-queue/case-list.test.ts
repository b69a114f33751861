/**
 * The queue listing is built as JSON by PostgreSQL (issue 18, case-list-query.ts) while a
 * single case is shaped by `caseDto` in TypeScript. A lawyer must see the same case in the
 * list and when opening it: every field of every listed case equals the case view's, over
 * cases in every state (a hold's end, rated, anonymised, no deadline, microsecond times),
 * and paging with the cursor shows each case exactly once, in queue order.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness();
  api = await createApiClient(h);
  const hold = { flows: [], situation: { items: [
    { kind: 'deadline', title: 'Продление', legal: '2027-01-10', advised: '2027-01-08' },
    { kind: 'deadline', title: 'Задержание', legal: '2027-01-01T02:30+03:00', moment: true },
    { kind: 'deadline', title: 'Второе', legal: '2027-01-02T02:30+03:00', moment: true },
  ] } };
  // 45 cases: every status, both priorities, with and without deadlines, several sharing one
  // created_at to the microsecond (the cursor must still move on), one with a hold, some rated.
  await h.container.database.db.execute(sql`
    insert into users (id, language, consented_at) select g, 'uz', now() from generate_series(1, 5) g`);
  await h.container.database.db.execute(sql`
    insert into cases (user_id, language, topic, priority, status, citizenship, context, summary_ru, nearest_deadline,
                       created_at, updated_at, first_response_at, closed_at, rating, rating_comment, anonymised_at, unread)
    select 1 + g % 5, 'uz', 'patent', case when g % 7 = 0 then 'urgent' else 'normal' end,
      (array['open','claimed','closed','withdrawn'])[1 + g % 4], case when g % 3 = 0 then null else 'uz' end,
      case when g = 4 then ${JSON.stringify(hold)}::jsonb when g = 8 then '{"flows": [], "situation": {"items": []}}'::jsonb else '{"flows": []}'::jsonb end,
      'Вопрос: «кавычки», \\ и "двойные"' || g, case when g % 3 = 0 then null else date '2027-01-01' + (g % 4) end,
      timestamptz '2026-11-01 10:00:00.123456+00' + make_interval(mins => g / 4),
      timestamptz '2026-11-02 10:00:00.987654+00',
      case when g % 2 = 0 then timestamptz '2026-11-01 12:00:00.5+00' end,
      case when g % 4 >= 2 then timestamptz '2026-11-03 12:00:00+00' end,
      case when g % 5 = 0 then 1 + g % 5 end, case when g % 10 = 0 then 'Спасибо' end,
      case when g = 12 then timestamptz '2026-11-05 00:00:00+00' end, g % 2 = 1
    from generate_series(1, 45) g`);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

describe('the queue listing', () => {
  it('shows each case exactly as the case view does, field by field', async () => {
    const lawyer = api.as(api.tokens.lawyer);
    const listed = await lawyer.get('/api/cases?status=open,claimed,closed,withdrawn&limit=100');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(45);
    for (const item of listed.body.items) {
      const opened = await lawyer.get(`/api/cases/${item.id}`);
      expect(opened.status, JSON.stringify(opened.body)).toBe(200);
      expect(item).toEqual(opened.body.case);
    }
    const withHold = listed.body.items.find((c: { summaryRu: string }) => c.summaryRu.endsWith('"двойные"4'));
    expect(withHold.holdEndsAt).toBe('2027-01-01T02:30+03:00');
    expect(withHold.createdAt).toBe('2026-11-01T10:01:00.123Z');
  });

  it('pages through the queue with the cursor: every case once, urgent first, then the nearest deadline', async () => {
    const lawyer = api.as(api.tokens.lawyer);
    const seen: { id: number; priority: string; nearestDeadline: string | null }[] = [];
    let url = '/api/cases?status=open,claimed,closed,withdrawn&limit=4';
    for (let pages = 0; pages < 20; pages++) {
      const page = await lawyer.get(url);
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      if (!page.body.nextCursor) break;
      url = `/api/cases?status=open,claimed,closed,withdrawn&limit=4&cursor=${encodeURIComponent(page.body.nextCursor)}`;
    }
    expect(new Set(seen.map((c) => c.id)).size).toBe(45);
    expect(seen).toHaveLength(45);
    const rank = (c: (typeof seen)[number]) => `${c.priority === 'urgent' ? 0 : 1}:${c.nearestDeadline ?? '9999-12-31'}`;
    expect(seen.map(rank)).toEqual([...seen.map(rank)].sort());
  });

  it('shows a change made outside this process on the next poll, and a deleted case no more', async () => {
    const lawyer = api.as(api.tokens.lawyer);
    const first = await lawyer.get('/api/cases?limit=5');
    const [top, second] = first.body.items;
    // Another process (or a hand-written fix) changes one listed case and deletes another;
    // this process's API hears nothing of it.
    await h.container.database.db.execute(sql`update cases set summary_ru = 'Исправлено вручную', unread = not unread where id = ${top.id}`);
    await h.container.database.db.execute(sql`delete from cases where id = ${second.id}`);
    const next = await lawyer.get('/api/cases?limit=5');
    const shown = next.body.items.find((c: { id: number }) => c.id === top.id);
    expect(shown.summaryRu).toBe('Исправлено вручную');
    expect(shown.unread).toBe(!top.unread);
    expect(next.body.items.some((c: { id: number }) => c.id === second.id)).toBe(false);
    expect(next.body.items).toHaveLength(5);
    // A lawyer's own action shows at once too.
    const third = next.body.items.find((c: { status: string }) => c.status === 'open');
    expect((await lawyer.post(`/api/cases/${third.id}/claim`)).status).toBe(200);
    const after = await lawyer.get('/api/cases?limit=5');
    expect(after.body.items.find((c: { id: number }) => c.id === third.id)?.status).toBe('claimed');
  });

  it('answers a cursor that is not one with 400 and a message', async () => {
    const res = await api.as(api.tokens.lawyer).get('/api/cases?cursor=bm90LWEtY3Vyc29y');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/cursor/);
  });
});
