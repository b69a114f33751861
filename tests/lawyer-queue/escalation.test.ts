/**
 * The whole path of a question: a Tajik migrant escalates from a flow answer, a
 * lawyer claims it (a second one gets 409), answers, the answer reaches the chat,
 * the migrant replies into the thread, the lawyer closes and the migrant rates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { loadScenarios } from '../helpers/scenarios.js';
import { walkScenario } from '../helpers/walk.js';

const clock = createTestClock();
let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness({ clock, env: { LAWYERS_CHAT_ID: '-100500' } });
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

const USER = 60_001;
const tg = (key: string, o?: Record<string, unknown>) => h.container.translator.forLanguage('tg')(key, o);
const scenario = loadScenarios().find((f) => f.flow === 'work-patent')!.scenarios.find((s) => s.dates && Object.keys(s.dates).length)!;
let caseId: number;

describe('a question to a lawyer, end to end', () => {
  it('lets a migrant write a question from a flow answer, preview it and send it', async () => {
    clock.set(`${scenario.today}T12:00:00+03:00`);
    await onboard(h, USER, 'tg');
    await walkScenario(h, USER, 'work-patent', scenario);
    await h.press(USER, /^e:work-patent:/);
    expect(h.last(USER).html).toBe(tg('cases.ask'));
    await h.send(USER, 'Корфармо шартномаро намедиҳад. Чӣ кор кунам?');
    expect(h.last(USER).html).toContain('Корфармо шартномаро намедиҳад');
    expect(h.last(USER).data).toEqual(['cs', 'ce', 'cx']);
    await h.press(USER, 'cs');
    const opened = h.last(USER).html;
    caseId = Number(/#(\d+)/.exec(opened)?.[1]);
    expect(opened).toBe(tg('cases.opened', { id: caseId, hours: 48 }));
  });

  it('shows the case in the queue with the flow context and a Russian summary', async () => {
    const list = await api.as(api.tokens.lawyer).get('/api/cases');
    expect(list.status).toBe(200);
    const item = list.body.items.find((c: { id: number }) => c.id === caseId);
    expect(item).toMatchObject({ language: 'tg', topic: 'patent', priority: 'normal', status: 'open' });
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${caseId}`);
    expect(detail.body.context.flows[0]).toMatchObject({ flowId: 'work-patent', outcome: scenario.outcome });
    expect(detail.body.context.from).toMatchObject({ flowId: 'work-patent', node: scenario.outcome });
    // The lawyer reads Russian: the summary names the section and the answers in Russian.
    expect(detail.body.case.summaryRu).toContain('Язык пользователя: таджикский');
    expect(detail.body.case.summaryRu).toContain('Раздел «Патент на работу»');
    const [firstDate] = Object.values(scenario.dates!);
    expect(detail.body.case.summaryRu).toContain(firstDate!.split('-').reverse().join('.'));
    expect(detail.body.messages[0]).toMatchObject({ author: 'user', text: 'Корфармо шартномаро намедиҳад. Чӣ кор кунам?' });
    expect(item.nearestDeadline).toEqual(expect.any(String));
  });

  it('announces the new case to the lawyers’ chat with the Russian summary', async () => {
    await h.deliver();
    const notice = h.api.view(-100500).messages.at(-1);
    expect(notice?.html).toContain(`Новое обращение #${caseId}`);
    expect(notice?.html).toContain('Патент на работу');
  });

  it('lets one lawyer claim it and answers a second with 409', async () => {
    expect((await api.as(api.tokens.lawyer).post(`/api/cases/${caseId}/claim`)).status).toBe(200);
    const second = await api.as(api.tokens.lawyer2).post(`/api/cases/${caseId}/claim`);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatch(/another lawyer/);
    expect((await api.as(api.tokens.lawyer2).post(`/api/cases/${caseId}/reply`, { text: 'x' })).status).toBe(409);
  });

  it('delivers the lawyer’s answer into the migrant’s chat, framed in their language, with a reply button', async () => {
    const r = await api.as(api.tokens.lawyer).post(`/api/cases/${caseId}/reply`, { text: 'Добрый день. Копию договора нужно отправить в МВД в течение 2 месяцев.' });
    expect(r.status).toBe(201);
    expect(r.body.delivery.status).toBe('pending');
    await h.deliver();
    const answer = h.last(USER);
    expect(answer.html).toContain(tg('cases.answer-header', { id: caseId }));
    expect(answer.html).toContain('Копию договора нужно отправить в МВД');
    expect(answer.data).toEqual([`cr:${caseId}`]);
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${caseId}`);
    expect(detail.body.messages.at(-1).delivery).toMatchObject({ status: 'sent', attempts: 1 });
    expect(detail.body.case.firstResponseAt).toEqual(expect.any(String));
  });

  it('puts the migrant’s reply into the thread and tells them it was passed on', async () => {
    await h.press(USER, `cr:${caseId}`);
    await h.send(USER, 'Раҳмат! Шартнома ҳоло нест.');
    expect(h.last(USER).html).toBe(tg('cases.passed', { id: caseId }));
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${caseId}`);
    expect(detail.body.messages.map((m: { author: string }) => m.author)).toEqual(['user', 'lawyer', 'user']);
    expect(detail.body.messages.at(-1).text).toBe('Раҳмат! Шартнома ҳоло нест.');
  });

  it('keeps internal notes away from the migrant', async () => {
    const before = h.texts(USER).length;
    expect((await api.as(api.tokens.lawyer).post(`/api/cases/${caseId}/notes`, { text: 'проверить договор' })).status).toBe(201);
    await h.deliver();
    expect(h.texts(USER).length).toBe(before);
  });

  it('closes the case and lets the migrant rate the answer with a comment', async () => {
    const closed = await api.as(api.tokens.lawyer).post(`/api/cases/${caseId}/close`);
    expect(closed.body).toMatchObject({ status: 'closed' });
    await h.deliver();
    expect(h.last(USER).html).toBe(tg('cases.closed', { id: caseId }));
    await h.press(USER, `rt:${caseId}:5`);
    expect(h.last(USER).html).toBe(tg('cases.rated'));
    await h.send(USER, 'Хеле хуб');
    expect(h.last(USER).html).toBe(tg('cases.comment-saved'));
    const detail = await api.as(api.tokens.lawyer).get(`/api/cases/${caseId}`);
    expect(detail.body.case).toMatchObject({ rating: 5, ratingComment: 'Хеле хуб', status: 'closed' });
    // After the case is closed, free text is not swallowed by it any more.
    await h.send(USER, 'патент');
    expect(h.last(USER).data).toContain('f:work-patent');
  });

  it('counts it in the statistics without personal data', async () => {
    const stats = await api.as(api.tokens.staff).get('/api/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.byStatus.closed).toBeGreaterThanOrEqual(1);
    expect(stats.body.byLanguage.tg).toBeGreaterThanOrEqual(1);
    expect(stats.body.medianFirstResponseSeconds).toEqual(expect.any(Number));
    expect(JSON.stringify(stats.body)).not.toContain('Шартнома');
  });

  it('records every read and write in the audit log', async () => {
    const audit = await api.as(api.tokens.admin).get(`/api/audit?caseId=${caseId}`);
    const actions = audit.body.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['case.read', 'case.claim', 'case.reply', 'case.note', 'case.close']));
  });

  it('records a lawyer watching a case (the console refreshes every 5 s) once per ten minutes', async () => {
    const me = (await api.as(api.tokens.lawyer2).get('/api/me')).body;
    const reads = async () =>
      (await api.as(api.tokens.admin).get(`/api/audit?caseId=${caseId}`)).body.filter((a: { action: string; staffId: number }) => a.action === 'case.read' && a.staffId === me.id).length;
    const before = await reads();
    for (let i = 0; i < 3; i++) expect((await api.as(api.tokens.lawyer2).get(`/api/cases/${caseId}`)).status).toBe(200);
    expect(await reads()).toBe(before + 1);
    clock.set(new Date(clock().getTime() + 11 * 60_000).toISOString());
    await api.as(api.tokens.lawyer2).get(`/api/cases/${caseId}`);
    expect(await reads()).toBe(before + 2);
  });
});
