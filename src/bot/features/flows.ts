/**
 * Walking a flow: topic buttons, answers (buttons, typed dates and numbers), Back,
 * Start again, and the hand-off to a lawyer. All state lives in the database via the
 * flow service; this file only translates between Telegram and the service.
 */
import { Composer } from 'grammy';
import { decodeFlowChoice } from '../../flow-engine/callback-codec.js';
import type { FlowServiceResult } from '../../flow-service/flow-service.js';
import { todayIn } from '../../lib/iso-date.js';
import { CALLBACK_PATTERNS, cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { renderFlowScreen } from '../render-flow.js';
import { answerCallback, show } from '../show.js';
import { isOnAnswer, showMainMenu } from './menu.js';

/** Renders a service result; `edit` says whether the pressed message may be replaced. */
export async function showFlowResult(ctx: BotContext, deps: BotDeps, result: FlowServiceResult, edit: boolean) {
  if (result.kind === 'screen') {
    const now = deps.clock();
    const msg = renderFlowScreen(result.screen, { t: ctx.t, today: todayIn(now), now, contacts: deps.contacts, calendar: deps.calendar, model: deps.factService.model });
    await show(ctx, msg.text, msg.keyboard, { edit });
    // An SOS answer (the hold's end, the appeal day) goes to the lawyer of the open case at once.
    if (result.screen.flow.id === 'sos' && result.screen.view.kind === 'outcome' && ctx.openCaseId && ctx.from) {
      await deps.cases.refreshSummary(ctx.from.id, ctx.openCaseId);
      deps.wakeOutbox();
    }
    return;
  }
  const prefix = result.kind === 'no-run' && result.flowRemoved ? ctx.t('flow.unavailable') : undefined;
  return showMainMenu(ctx, deps, { edit, prefix });
}

export function flows(deps: BotDeps) {
  const { flowService } = deps;
  const composer = new Composer<BotContext>();

  composer.callbackQuery(CALLBACK_PATTERNS.flow, async (ctx) => {
    await answerCallback(ctx);
    // Choosing a topic leaves a dialogue in progress (a question to a lawyer, a date
    // being typed): what is typed next belongs to the flow.
    if (ctx.pending) await deps.pending.clear(ctx.from.id);
    const result = await flowService.start(ctx.from.id, ctx.match[1]!);
    // The SOS branches start under the rights card: a new message, so the card stays to show the officer.
    await showFlowResult(ctx, deps, result, ctx.match[1] !== 'sos' && !isOnAnswer(ctx));
  });

  // Free text about one situation, or a link from another flow's answer. An entry removed
  // since the button was sent simply starts the flow from its first question.
  composer.callbackQuery(CALLBACK_PATTERNS.flowEntry, async (ctx) => {
    await answerCallback(ctx);
    if (ctx.pending) await deps.pending.clear(ctx.from.id);
    const result = await flowService.start(ctx.from.id, ctx.match[1]!, ctx.match[2]!);
    await showFlowResult(ctx, deps, result, !isOnAnswer(ctx));
  });

  composer.callbackQuery(cb.resume, async (ctx) => {
    await answerCallback(ctx);
    await showFlowResult(ctx, deps, await flowService.current(ctx.from.id), true);
  });

  composer.callbackQuery(/^q:/, async (ctx) => {
    const data = decodeFlowChoice(ctx.callbackQuery.data);
    const result = data
      ? await flowService.apply(ctx.from.id, { type: 'choose', node: data.node, option: data.option }, data)
      : await flowService.current(ctx.from.id);
    const stale = !data || (result.kind === 'screen' && result.screen.view.kind === 'question' && result.screen.view.error?.code === 'stale');
    await answerCallback(ctx, stale ? ctx.t('expired') : undefined);
    // A stale button shows the current step as a new message, below the old one.
    await showFlowResult(ctx, deps, result, !stale);
  });

  composer.callbackQuery(CALLBACK_PATTERNS.back, async (ctx) => {
    const [, flowId, version, node] = ctx.match;
    const run = ctx.known?.run;
    const flow = run && deps.flows.get(run.flowId);
    const matches = flow && run.flowId === flowId && flow.version === Number(version) && run.version === flow.version && run.node === node;
    if (!matches) {
      await answerCallback(ctx, ctx.t('expired'));
      return showFlowResult(ctx, deps, await flowService.current(ctx.from.id), false);
    }
    await answerCallback(ctx);
    const result = await flowService.apply(ctx.from.id, { type: 'back' });
    await showFlowResult(ctx, deps, result, !isOnAnswer(ctx));
  });

  // "Change" under a value the flow took from a known fact: ask that question again.
  composer.callbackQuery(CALLBACK_PATTERNS.flowChange, async (ctx) => {
    const [, flowId, version, node] = ctx.match;
    const result = await flowService.apply(ctx.from.id, { type: 'change', node: node! }, { flowId: flowId!, version: Number(version) });
    const stale = result.kind === 'screen' && result.screen.view.kind === 'question' && result.screen.view.error?.code === 'stale';
    await answerCallback(ctx, stale ? ctx.t('expired') : undefined);
    await showFlowResult(ctx, deps, result, false);
  });

  // Typed answers to date and number questions.
  composer.on('message:text', async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    const result = await flowService.apply(ctx.from.id, { type: 'text', text: ctx.message.text });
    if (result.kind !== 'screen') return next();
    await showFlowResult(ctx, deps, result, false);
  });

  return composer;
}
