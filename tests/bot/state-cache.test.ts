/**
 * The bot keeps each user's state in memory between updates and writes flow state
 * behind the reply. These tests check what a user would notice if that went wrong:
 * a change made in the console not reaching the chat, a step not stored, data
 * coming back after /forget.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowResults, flowRuns } from '../../src/db/schema/index.js';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness, onboard, openCase } from '../helpers/harness.js';
import { WAIT_CAP_MS } from '../helpers/wait-for.js';

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

const en = (key: string, o?: Record<string, unknown>) => h.container.translator.forLanguage('en')(key, o);
const storedRun = async (userId: number) => (await h.database.db.select().from(flowRuns).where(eq(flowRuns.userId, userId)))[0];

/** Waits (without a shutdown or a drain) until the database holds what `check` wants. */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = WAIT_CAP_MS): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('flow state kept in memory and written behind the reply', () => {
  it('stores each step in the database on its own, without waiting for a shutdown', async () => {
    await onboard(h, 70_001, 'en');
    await h.press(70_001, 'f:work-patent');
    await h.press(70_001, h.last(70_001).data[0]!);
    const shown = await h.container.flowService.current(70_001);
    const node = shown.kind === 'screen' ? shown.screen.state.node : undefined;
    expect(node).toBeDefined();
    const row = await eventually(() => storedRun(70_001), (r) => r?.node === node);
    expect(row?.node).toBe(node);
    expect(row?.stack.length).toBe(1);
  });

  it('routes the next message by the console’s change: a case closed by a lawyer no longer takes the user’s text', async () => {
    const user = 70_002;
    const caseId = await openCase(h, user, 'en', 'My employer keeps my passport.');
    expect(caseId).toBeGreaterThan(0);
    // A few flow steps: the user's state is now served from memory.
    await h.press(user, 'm');
    await h.press(user, 'f:work-patent');
    await h.send(user, 'Is anyone there?');
    expect(h.last(user).html).toBe(en('cases.passed', { id: caseId }));

    const closed = await api.as(api.tokens.lawyer).post(`/api/cases/${caseId}/close`);
    expect(closed.status).toBe(200);
    await h.send(user, 'Thank you!');
    expect(h.last(user).html).not.toBe(en('cases.passed', { id: caseId }));
    const thread = await api.as(api.tokens.lawyer).get(`/api/cases/${caseId}`);
    expect(thread.body.messages.map((m: { text: string }) => m.text)).not.toContain('Thank you!');
  });

  it('leaves nothing behind when /forget comes right after a step', async () => {
    const user = 70_003;
    await onboard(h, user, 'en');
    await h.press(user, 'f:work-patent');
    await h.press(user, h.last(user).data[0]!);
    await h.send(user, '/forget');
    await h.press(user, 'x:y');
    expect(h.last(user).html).toBe(en('forget.done'));
    await h.container.runs.drain();
    expect(await storedRun(user)).toBeUndefined();
    expect(await h.database.db.select().from(flowResults).where(eq(flowResults.userId, user))).toEqual([]);
  });

  it('drops a queued step of a user deleted meanwhile, and keeps writing for everyone else', async () => {
    const gone = 70_004;
    const stays = 70_005;
    await onboard(h, gone, 'en');
    await onboard(h, stays, 'en');
    const state = { flowId: 'work-patent', version: h.container.flows.get('work-patent')!.version, node: h.container.flows.get('work-patent')!.start, answers: {}, stack: [] };
    // Both steps are queued together; the deletion runs before they are written.
    h.container.runs.save(gone, state, h.clock());
    h.container.runs.save(stays, state, h.clock());
    // And one that is surely refused, whatever the timing: a user who never existed.
    h.container.runs.save(70_999, state, h.clock());
    await h.container.cases.forgetUser(gone);
    expect(await h.container.runs.drain()).toBe(0);
    expect(h.container.runs.backlog).toBe(0);
    expect(await storedRun(gone)).toBeUndefined();
    expect(await storedRun(70_999)).toBeUndefined();
    expect((await storedRun(stays))?.node).toBe(state.node);
  });

  it('reads a step still on its way to the database as taken, after the cached copy was dropped', async () => {
    const user = 70_007;
    await onboard(h, user, 'en');
    const flow = h.container.flows.get('work-patent')!;
    const next = { flowId: flow.id, version: flow.version, node: 'has-residence', answers: { citizenship: 'uz' }, stack: [flow.start] };
    h.container.runs.save(user, next, h.clock());
    h.container.userStates.invalidate(user);
    const read = await h.container.runs.findUserAndRun(user);
    expect(read?.run?.node).toBe('has-residence');
    // The queued outcome's citizenship counts too, before it is written.
    h.container.runs.recordResult(user, next, 'some-outcome', [], h.clock());
    h.container.userStates.invalidate(user);
    expect((await h.container.runs.findUserAndRun(user))?.user.citizenship).toBe('uz');
    await h.container.runs.drain();
  });

  it('answers in the new language at once after /language, in the middle of a flow', async () => {
    const user = 70_006;
    await onboard(h, user, 'en');
    await h.press(user, 'f:work-patent');
    await h.send(user, '/language');
    await h.press(user, 'l:uz');
    await h.send(user, '/menu');
    const resume = h.container.translator.forLanguage('uz')('menu.continue', { title: '' }).trim();
    expect(h.last(user).buttons.some((b) => b.startsWith(resume))).toBe(true);
  });
});
