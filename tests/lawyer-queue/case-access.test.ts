/**
 * One rule for a case another lawyer holds: reading it, its attachments and
 * translations, and internal notes are open to every lawyer; everything that
 * speaks to the migrant or changes the case is refused with 409 and changes
 * nothing. An admin may do everything; an unclaimed case is open to all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLDER_CASE_ACTIONS, OPEN_CASE_ACTIONS } from '../../src/lawyer-queue/case-access.js';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness, openCase } from '../helpers/harness.js';
import { startTranslationStandIn, type TranslationStandIn } from '../helpers/translation-stand-in.js';

let h: Harness;
let api: ApiClient;
let provider: TranslationStandIn;
let held: number;
let closedHeld: number;
beforeAll(async () => {
  provider = await startTranslationStandIn();
  h = await createHarness({ env: { TRANSLATION_PROVIDER: 'libretranslate', LIBRETRANSLATE_URL: provider.url } });
  api = await createApiClient(h);
  held = await openCase(h, 95_001, 'uz', 'Savol');
  closedHeld = await openCase(h, 95_002, 'uz', 'Boshqa savol');
  const a = api.as(api.tokens.lawyer);
  expect((await a.post(`/api/cases/${held}/claim`)).status).toBe(200);
  expect((await a.post(`/api/cases/${held}/reply`, { text: 'Ответ' })).status).toBe(201);
  expect((await a.post(`/api/cases/${closedHeld}/claim`)).status).toBe(200);
  expect((await a.post(`/api/cases/${closedHeld}/close`)).status).toBe(200);
  await h.container.translations.drain();
});
afterAll(async () => {
  await api.app.close();
  await h.close();
  await provider.close();
});

const other = () => api.as(api.tokens.lawyer2);
const snapshot = async (id: number) => {
  const v = (await api.as(api.tokens.lawyer).get(`/api/cases/${id}`)).body;
  return { status: v.case.status, assigneeId: v.case.assigneeId, messages: v.messages.length };
};

describe('the rule', () => {
  it('names every action once, either open to all or kept for the holder', () => {
    expect(new Set([...OPEN_CASE_ACTIONS, ...HOLDER_CASE_ACTIONS]).size).toBe(OPEN_CASE_ACTIONS.length + HOLDER_CASE_ACTIONS.length);
  });
});

describe('on a case another lawyer holds, a second lawyer', () => {
  it('may read it', async () => {
    expect((await other().get(`/api/cases/${held}`)).status).toBe(200);
  });

  it('may add an internal note', async () => {
    expect((await other().post(`/api/cases/${held}/notes`, { text: 'совет коллеге' })).status).toBe(201);
  });

  it('may ask for the translations to be made again', async () => {
    expect((await other().post(`/api/cases/${held}/translations/retry`)).status).toBe(200);
  });

  it('may open an attachment (404 here only because the message has none, not 409)', async () => {
    const first = (await other().get(`/api/cases/${held}`)).body.messages[0].id;
    const r = await other().get(`/api/cases/${held}/messages/${first}/attachments/0`);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/has no attachment/);
  });

  const refused: [string, () => Promise<{ status: number; body: { error: string } }>, () => number][] = [
    ['claim it', () => other().post(`/api/cases/${held}/claim`), () => held],
    ['reply', () => other().post(`/api/cases/${held}/reply`, { text: 'Чужой ответ' }), () => held],
    ['translate a draft reply', () => other().post(`/api/cases/${held}/translate-draft`, { text: 'Черновик' }), () => held],
    ['release it', () => other().post(`/api/cases/${held}/release`), () => held],
    ['close it', () => other().post(`/api/cases/${held}/close`), () => held],
    ['retry its deliveries', () => other().post(`/api/cases/${held}/deliveries/retry`), () => held],
    ['reopen it after the holder closed it', () => other().post(`/api/cases/${closedHeld}/reopen`), () => closedHeld],
  ];
  for (const [what, call, id] of refused) {
    it(`may not ${what}: 409, and nothing changes`, async () => {
      const before = await snapshot(id());
      const r = await call();
      expect(r.status).toBe(409);
      expect(r.body.error).toMatch(/claimed by another lawyer: only they or an admin may/);
      expect(await snapshot(id())).toEqual(before);
    });
  }
});

describe('an admin', () => {
  it('may answer, release and reopen a case a lawyer holds', async () => {
    const admin = api.as(api.tokens.admin);
    expect((await admin.post(`/api/cases/${held}/reply`, { text: 'Ответ администратора' })).status).toBe(201);
    expect((await admin.post(`/api/cases/${held}/release`)).body).toMatchObject({ status: 'open', assigneeId: null });
    expect((await admin.post(`/api/cases/${closedHeld}/reopen`)).body).toMatchObject({ status: 'claimed' });
  });
});

describe('an unclaimed case', () => {
  it('is open to every lawyer, and the first reply claims it', async () => {
    const free = await openCase(h, 95_003, 'uz', 'Yana savol');
    const r = await other().post(`/api/cases/${free}/reply`, { text: 'Ответ' });
    expect(r.status).toBe(201);
    const me = (await other().get('/api/me')).body;
    expect((await other().get(`/api/cases/${free}`)).body.case).toMatchObject({ status: 'claimed', assigneeId: me.id });
  });
});
