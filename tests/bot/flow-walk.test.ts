/**
 * Whole flows through the Bot API boundary, in several languages: what the user
 * sees at the end is the translated answer, its legal basis, its review date and
 * their personal dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOWS_NS, flowKeys } from '../../src/flow-engine/flow-texts.js';
import { LANGUAGES } from '../../src/i18n/languages.js';
import { formatRu } from '../../src/lib/iso-date.js';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { loadScenarios } from '../helpers/scenarios.js';
import { doStep, walkScenario } from '../helpers/walk.js';

const clock = createTestClock();
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock });
});
afterAll(() => h.close());

const files = loadScenarios();
const tr = (lng: string) => h.container.translator.forLanguage(lng as 'ru');

describe.each(LANGUAGES.map((lng, i) => ({ lng, i })))('in $lng', ({ lng, i }) => {
  it.each(files.map((f, j) => ({ f, j })))('walks $f.flow to a sourced, dated answer', async ({ f, j }) => {
    // The first scenario with dates, so the answer shows personal dates.
    const s = f.scenarios.find((x) => x.dates && Object.keys(x.dates).length) ?? f.scenarios[0]!;
    clock.set(`${s.today}T12:00:00+03:00`);
    const userId = 20_000 + i * 100 + j;
    await onboard(h, userId, lng);
    await walkScenario(h, userId, f.flow, s);
    const t = tr(lng);
    const flow = h.container.flows.get(f.flow)!;
    const node = flow.nodes[s.outcome]!;
    const answer = h.last(userId).html;
    // The whole translated answer, around the dates put into it.
    const template = t(flowKeys.text(f.flow, s.outcome), { ns: FLOWS_NS });
    for (const piece of template.split(/\{\{[^}]+\}\}/)) expect(answer).toContain(piece);
    if (node.type === 'outcome') {
      expect(answer).toContain(node.citations[0]!.law);
      expect(answer).toContain(formatRu(node.reviewed_on));
      for (const date of Object.values(s.dates ?? {})) expect(answer).toContain(formatRu(date));
    }
    expect(h.last(userId).data).toContain('m');
  });
});

describe('resuming and stale buttons', () => {
  const f = files[0]!;
  const s = f.scenarios.find((x) => x.steps.length >= 2) ?? f.scenarios[0]!;

  it('resumes at the same question after a restart', async () => {
    clock.set(`${s.today}T12:00:00+03:00`);
    await onboard(h, 30_001, 'uz');
    await walkScenario(h, 30_001, f.flow, s, { stopBefore: s.steps.length - 1 });
    const before = await h.container.flowService.current(30_001);
    await h.restart();
    await h.send(30_001, '/menu');
    // The menu offers to continue the flow in progress…
    expect(h.last(30_001).data).toContain('k');
    await h.press(30_001, 'k');
    const after = await h.container.flowService.current(30_001);
    expect(after.kind === 'screen' && after.screen.state).toEqual(before.kind === 'screen' && before.screen.state);
    // …and finishing it reaches the scenario's answer, as without the restart.
    await doStep(h, 30_001, f.flow, s.steps.at(-1)!);
    const done = await h.container.flowService.current(30_001);
    expect(done.kind === 'screen' && done.screen.view.node).toBe(s.outcome);
  });

  it('answers an old button with "this menu has expired" and shows the current step', async () => {
    await onboard(h, 30_003, 'ky');
    await h.press(30_003, `f:${f.flow}`);
    const firstQuestion = h.last(30_003);
    await h.press(30_003, firstQuestion.data[0]!); // answer the first question
    const calls = h.api.calls.length;
    // Press the same (now old) button again from the first message.
    await h.update({
      callback_query: {
        id: 'old',
        from: { id: 30_003, is_bot: false, first_name: 'A' },
        chat_instance: 'i',
        data: firstQuestion.data[0],
        message: { message_id: firstQuestion.id, date: 0, chat: { id: 30_003, type: 'private' } },
      },
    });
    const answered = h.api.calls.slice(calls).find((c) => c.method === 'answerCallbackQuery');
    expect(answered?.payload.text).toBe(tr('ky')('expired'));
    const run = await h.container.flowService.current(30_003);
    expect(run.kind === 'screen' && run.screen.state.stack.length).toBe(1);
  });

  it('answers a button from an older version of the flow as expired', async () => {
    await onboard(h, 30_004, 'en');
    await h.press(30_004, `f:${f.flow}`);
    const flow = h.container.flows.get(f.flow)!;
    await h.update({
      callback_query: {
        id: 'v0',
        from: { id: 30_004, is_bot: false, first_name: 'A' },
        chat_instance: 'i',
        data: `q:${flow.id}:${flow.version + 99}:${flow.start}:0`,
        message: { message_id: h.last(30_004).id, date: 0, chat: { id: 30_004, type: 'private' } },
      },
    });
    expect(h.api.calls.findLast((c) => c.method === 'answerCallbackQuery')?.payload.text).toBe(tr('en')('expired'));
    const run = await h.container.flowService.current(30_004);
    expect(run.kind === 'screen' && run.screen.state.node).toBe(flow.start);
  });
});

describe('bad answers', () => {
  it('explains a wrong date format in the user’s language and asks again', async () => {
    // A flow whose typed answers are all dates (the SOS flow's first one is a date and time).
    const flow = h.container.flows.list.find((fl) => Object.values(fl.nodes).some((n) => n.type === 'date') && !Object.values(fl.nodes).some((n) => n.type === 'datetime'))!;
    const file = files.find((x) => x.flow === flow.id)!;
    const s = file.scenarios.find((x) => x.steps.some((st) => 'enter' in st))!;
    const firstEnter = s.steps.findIndex((st) => 'enter' in st);
    clock.set(`${s.today}T12:00:00+03:00`);
    await onboard(h, 30_010, 'tg');
    await walkScenario(h, 30_010, flow.id, s, { stopBefore: firstEnter });
    await h.send(30_010, '31.02.2026');
    expect(h.last(30_010).html).toContain(tr('tg')('flow.errors.date-format'));
    await h.send(30_010, '01.01.2099');
    expect(h.last(30_010).html).toContain(tr('tg')('flow.errors.date-future'));
    await h.send(30_010, '/menu');
    expect(h.last(30_010).data).toContain('k');
  });
});

describe('hand-off to a lawyer from a flow', () => {
  it('offers to write to a lawyer right there, with other places that help', async () => {
    await onboard(h, 30_020, 'az');
    await walkScenario(h, 30_020, 'work-patent', {
      name: 'other question',
      today: '2026-02-20',
      outcome: 'esc-lawyer',
      steps: [{ choose: 'az' }, { choose: 'no-rvp' }, { choose: 'lawyer' }],
    });
    const screen = h.last(30_020);
    expect(screen.data).toContain('e:work-patent:esc-lawyer');
    expect(screen.html).toContain(tr('az')('escalation.contacts-title'));
    await h.press(30_020, 'e:work-patent:esc-lawyer');
    expect(h.last(30_020).html).toBe(tr('az')('cases.ask'));
  });
});

