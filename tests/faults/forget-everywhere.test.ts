/**
 * After /forget no table holds anything that identifies the user or repeats their
 * words: the test reads every row of every table in the schema as JSON and looks
 * for the user's id, their question, their messages, the lawyer's answer and note
 * about them. The notice in the lawyers' chat is edited to say the request was
 * deleted at the user's request.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { senderFor } from '../helpers/broadcast.js';
import { createHarness, type Harness, openCase } from '../helpers/harness.js';

const LAWYERS = -1001234567890;
const USER = 777_000_111;
const WORDS = ['зелёный-слон-42', 'жёлтый-кит-17', 'синий-ёж-99', 'красная-лиса-5', 'на-будущее-33'];
let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness({ env: { LAWYERS_CHAT_ID: String(LAWYERS) } });
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

/** Every row of every table in the public schema, as JSON text. */
async function everyRow(): Promise<{ table: string; row: string }[]> {
  const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
  const tables = rowsOf(await h.database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)).map((r) => String(r.table_name));
  const out: { table: string; row: string }[] = [];
  for (const table of tables) {
    for (const r of rowsOf(await h.database.db.execute(sql.raw(`select row_to_json(t)::text as j from "${table}" t`)))) out.push({ table, row: String(r.j) });
  }
  return out;
}

describe('/forget', () => {
  it('leaves nothing in any table that identifies the user or repeats their words, and edits the lawyers’ notice', async () => {
    const caseId = await openCase(h, USER, 'uz', `Мой вопрос про патент ${WORDS[0]}`);
    await h.deliver(); // the notice reaches the lawyers' chat
    const notice = h.api.view(LAWYERS).messages.at(-1)!;
    expect(notice.html).toContain(WORDS[0]);
    await h.send(USER, `Ещё одно сообщение ${WORDS[1]}`);
    const lawyer = api.as(api.tokens.lawyer);
    expect((await lawyer.post(`/api/cases/${caseId}/reply`, { text: `Ответ юриста ${WORDS[2]}` })).status).toBe(201);
    expect((await lawyer.post(`/api/cases/${caseId}/notes`, { text: `Заметка ${WORDS[3]}` })).status).toBe(201);
    await h.deliver();
    // A flow in progress, a question being written, a saved date and an alert received.
    await h.press(USER, 'm');
    await h.press(USER, 'a');
    await h.send(USER, `Черновик ${WORDS[4]}`);
    const staff = api.as(api.tokens.staff);
    const { alert } = (await staff.post('/api/alerts', { texts: { ru: 'Изменения в правилах' }, audience: { everyone: true } })).body;
    expect((await lawyer.post(`/api/alerts/${alert.id}/approve`)).status).toBe(200);
    expect((await staff.post(`/api/alerts/${alert.id}/send`)).status).toBe(200);
    await senderFor(h).runOnce();

    const before = await everyRow();
    expect(before.some((r) => r.row.includes(String(USER)))).toBe(true); // the walk can see them

    await h.send(USER, '/forget');
    await h.press(USER, 'x:y');
    await h.deliver(); // the edit of the lawyers' notice

    const after = await everyRow();
    for (const needle of [String(USER), ...WORDS]) {
      const found = after.filter((r) => r.row.includes(needle));
      expect(found, `"${needle}" is still in ${found.map((f) => f.table).join(', ')}`).toEqual([]);
    }
    // The message in the lawyers' chat now says what happened, and no longer the question.
    const edited = h.api.view(LAWYERS).messages.find((m) => m.id === notice.id)!;
    expect(edited.html).toBe(`🗑 Обращение #${caseId} удалено по просьбе пользователя.`);
    expect(edited.edited).toBe(true);
  });
});
