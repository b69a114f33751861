/**
 * Last in the chain: free text outside a question, media the bot cannot read, and
 * buttons nobody handled (an old message, a removed feature).
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { FlowSet } from '../../flow-engine/loader.js';
import { keywordMatches, normaliseForMatch } from '../../flow-engine/entries.js';
import { FLOWS_NS, flowKeys } from '../../flow-engine/flow-texts.js';
import type { Flow } from '../../flow-engine/schema.js';
import { cb } from '../callback-data.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { answerCallback, show } from '../show.js';
import { showMainMenu } from './menu.js';

/** How much of a message we look at for keywords; the rest cannot change the match. */
const MAX_MATCH_TEXT = 1000;

/** Most entry buttons offered for one text: more would bury the right one. */
const MAX_ENTRIES = 3;

/** Flows whose keywords (in any language) appear in the text, best match first. */
export function matchFlows(flows: FlowSet, text: string): Flow[] {
  const hay = normaliseForMatch(text.slice(0, MAX_MATCH_TEXT));
  return flows.list
    .map((flow) => ({ flow, hits: flow.keywords.filter((k) => hay.includes(normaliseForMatch(k))).length }))
    .filter((m) => m.hits > 0)
    .sort((a, b) => b.hits - a.hits)
    .map((m) => m.flow);
}

export interface EntryMatch {
  flow: Flow;
  node: string;
}

/**
 * Entries (situations inside a flow) whose keywords match the text, best first: more
 * matching keywords, then more specific ones (more stems), then menu order.
 */
export function matchEntries(flows: FlowSet, text: string): EntryMatch[] {
  const hay = normaliseForMatch(text.slice(0, MAX_MATCH_TEXT));
  const found: (EntryMatch & { hits: number; stems: number })[] = [];
  for (const flow of flows.list) {
    for (const entry of flow.entries) {
      const hit = entry.keywords.filter((k) => keywordMatches(hay, k));
      if (!hit.length) continue;
      found.push({ flow, node: entry.node, hits: hit.length, stems: Math.max(...hit.map((k) => k.trim().split(/\s+/).length)) });
    }
  }
  return found
    .sort((a, b) => b.hits - a.hits || b.stems - a.stems)
    .slice(0, MAX_ENTRIES)
    .map(({ flow, node }) => ({ flow, node }));
}

export function fallback(deps: BotDeps) {
  const composer = new Composer<BotContext>();

  composer.on('message:text', async (ctx) => {
    // Detention, court, expulsion or a taken passport: SOS first, one tap away (the
    // tap, not the text, opens the urgent case, so a false match costs no lawyer's time).
    const sos = deps.sosKeywords.match(ctx.message.text);
    const entries = matchEntries(deps.flows, ctx.message.text);
    const matched = matchFlows(deps.flows, ctx.message.text);
    if (!matched.length && !entries.length && !sos) return showMainMenu(ctx, deps, { prefix: ctx.t('free-text.unmatched') });
    const kb = new InlineKeyboard();
    if (sos) kb.text(ctx.t('menu.sos'), cb.sos).row();
    for (const e of entries) kb.text(ctx.t(flowKeys.entry(e.flow.id, e.node), { ns: FLOWS_NS }), cb.flowEntry(e.flow.id, e.node)).row();
    for (const flow of matched) kb.text(ctx.t(flowKeys.title(flow.id), { ns: FLOWS_NS }), cb.flow(flow.id)).row();
    kb.text(ctx.t('menu.lawyer'), cb.lawyer).row().text(ctx.t('nav.menu'), cb.menu);
    await show(ctx, ctx.t(sos ? 'sos-match.prompt' : 'free-text.matched'), kb);
  });

  composer.on('message', (ctx) => show(ctx, ctx.t('unsupported')));

  composer.on('callback_query', async (ctx) => {
    await answerCallback(ctx, ctx.t('expired'));
    await showMainMenu(ctx, deps, { edit: false });
  });

  return composer;
}
