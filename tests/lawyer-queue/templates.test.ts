/**
 * Canned answers ship: at least 15 common replies from the legal fact sheets, each
 * in all seven languages, seeded once; what the NGO changes or deletes stays so
 * after a restart.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/i18n/languages.js';
import { loadCannedAnswers } from '../../src/lawyer-queue/template-seeds.js';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness();
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

interface Template {
  id: number;
  key: string | null;
  language: string;
  title: string;
  text: string;
}
const list = async (): Promise<Template[]> => (await api.as(api.tokens.lawyer).get('/api/templates')).body;

describe('shipped canned answers', () => {
  it('offers at least 15 answers, each in all seven languages', async () => {
    const all = await list();
    const keys = [...new Set(all.map((t) => t.key))];
    expect(keys.length).toBeGreaterThanOrEqual(15);
    for (const key of keys) expect(all.filter((t) => t.key === key).map((t) => t.language).sort()).toEqual([...LANGUAGES].sort());
    for (const key of ['patent-documents', 'patent-payment', 'ban-check', 'registration-deadlines']) expect(keys).toContain(key);
  });

  it('keeps Russian legal terms in every translation and writes deadlines as «не позднее»', async () => {
    const all = await list();
    const payment = all.filter((t) => t.key === 'patent-payment');
    for (const t of payment) expect(t.text).toContain('НДФЛ');
    for (const t of all.filter((x) => x.language === 'ru')) expect(t.text).not.toMatch(/\bдо \d{2}\.\d{2}\.\d{4}/);
  });

  it('keeps an edit and a deletion after a restart, and does not seed twice', async () => {
    const before = await list();
    const edited = before.find((t) => t.key === 'patent-check' && t.language === 'uz')!;
    const removed = before.find((t) => t.key === 'amina' && t.language === 'ro')!;
    expect((await api.as(api.tokens.lawyer).patch(`/api/templates/${edited.id}`, { text: 'Bizning tahririmiz' })).status).toBe(200);
    expect((await api.as(api.tokens.lawyer).delete(`/api/templates/${removed.id}`)).status).toBe(204);
    await h.restart();
    const after = await list();
    expect(after.length).toBe(before.length - 1);
    expect(after.find((t) => t.id === edited.id)?.text).toBe('Bizning tahririmiz');
    expect(after.find((t) => t.key === 'amina' && t.language === 'ro')).toBeUndefined();
  });
});

describe('the canned answers file', () => {
  it('names the entry and field of a mistake', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pravo-canned-'));
    const file = join(dir, 'answers.yaml');
    writeFileSync(file, '- key: x\n  title: { ru: a, uz: a, tg: a, ky: a, az: a, ro: a, en: a }\n  text: { ru: a, uz: a }\n');
    await expect(loadCannedAnswers(file)).rejects.toThrow(/entry 0\.text\.tg/);
  });
});
