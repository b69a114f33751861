/**
 * Turns a flow screen (engine output) into a Telegram message: translated text,
 * the user's personal dates with days left, the legal basis and review date, and
 * the navigation every answer screen has (Back, Main menu).
 */
import { InlineKeyboard } from 'grammy';
import type { TFunction } from 'i18next';
import { type Contact, chooseContacts } from '../contacts/contacts.js';
import { encodeFlowChoice } from '../flow-engine/callback-codec.js';
import { FLOWS_NS, flowKeys } from '../flow-engine/flow-texts.js';
import type { Flow, OutcomeNode } from '../flow-engine/schema.js';
import type { ComputedDate, FlowView } from '../flow-engine/types.js';
import { formatRu, type IsoDate, yearOf } from '../lib/iso-date.js';
import { escapeHtml } from '../lib/telegram-html.js';
import { trusted } from '../i18n/i18n.js';
import type { FlowScreen } from '../flow-service/flow-service.js';
import type { WorkingCalendar } from '../calendar/working-days.js';
import { daysLeft } from '../deadlines/date-labels.js';
import { explainDate } from '../deadlines/explain-date.js';
import type { RunState } from '../flow-engine/types.js';
import { cb } from './callback-data.js';
import { renderContacts } from './render-contacts.js';
import type { SituationModel } from '../situation/model.js';
import { modelKeys } from '../situation/model-texts.js';
import { evaluateSituation } from '../situation/evaluate.js';
import { formatDateTime } from '../situation/fact-values.js';
import { factsOfRun } from '../flow-engine/step.js';
import { renderDeadline } from './render-situation.js';
import { documentKeys } from '../documents/documents.js';

export interface RenderedMessage {
  text: string;
  keyboard: InlineKeyboard;
}


function navRow(kb: InlineKeyboard, t: TFunction, flow: Flow, view: FlowView, canGoBack: boolean) {
  if (canGoBack) kb.text(t('nav.back'), cb.back(flow.id, flow.version, view.node));
  kb.text(t('nav.menu'), cb.menu);
}

function renderDates(t: TFunction, flow: Flow, node: string, outcome: OutcomeNode, dates: ComputedDate[], today: IsoDate, state: RunState, calendar: WorkingCalendar): string[] {
  if (!dates.length) return [];
  const lines = [t('outcome.your-dates')];
  const computed = Object.fromEntries(dates.map((d) => [d.id, d.date]));
  for (const d of dates) {
    lines.push(
      `• ${t('outcome.date-line', {
        label: trusted(t(flowKeys.dateLabel(flow.id, node, d.id), { ns: FLOWS_NS })),
        date: formatRu(d.date),
        left: trusted(daysLeft(t, d.date, today)),
      })}`,
    );
    const spec = outcome.dates.find((x) => x.id === d.id);
    const how = spec ? explainDate(t, spec.date, { answers: state.answers, today, calendar, computed }, d.date) : undefined;
    if (how) lines.push(`  <i>${how}</i>`);
  }
  const provisional = [...new Set(dates.filter((d) => d.provisional).map((d) => yearOf(d.date)))];
  for (const year of provisional) lines.push(t('outcome.provisional', { year }));
  return lines;
}

/** "Основание: …" with links where the citation has one; also used by the SOS rights card. */
export function renderCitations(t: TFunction, node: Pick<OutcomeNode, 'citations'>): string {
  const list = node.citations
    .map((c) => {
      const label = escapeHtml(c.article ? `${c.law}, ст. ${c.article}` : c.law);
      return c.url ? `<a href="${escapeHtml(c.url)}">${label}</a>` : label;
    })
    .join('; ');
  return t('outcome.sources', { list: trusted(list) });
}

export interface RenderContext {
  t: TFunction;
  today: IsoDate;
  contacts: Contact[];
  /** For the "how this was counted" lines. */
  calendar: WorkingCalendar;
  /** The situation model: labels of the facts a flow took instead of asking. */
  model?: SituationModel;
  /** The moment rendered, for limits counted in hours. */
  now?: Date;
}

/**
 * Questions answered from known facts on the way to this screen: one line each
 * ("Citizenship: Uzbekistan") and a "change" button that asks the question again.
 */
function renderPrefilled(t: TFunction, flow: Flow, view: FlowView, state: RunState, kb: InlineKeyboard, model?: SituationModel): string | undefined {
  const nodes = view.prefilled ?? [];
  if (!nodes.length) return undefined;
  const lines = nodes.map((id) => {
    const node = flow.nodes[id];
    const fact = node && 'fact' in node ? node.fact : undefined;
    const label = fact && model?.facts[fact] ? t(modelKeys.factLabel(fact), { ns: FLOWS_NS }) : id;
    const value = state.answers[id];
    const shown =
      node?.type === 'choice'
        ? t(flowKeys.option(flow.id, id, String(value)), { ns: FLOWS_NS })
        : node?.type === 'date'
          ? formatRu(String(value))
          : node?.type === 'datetime'
            ? formatDateTime(t, String(value))
            : String(value);
    kb.text(t('flow.change', { label: trusted(label) }), cb.flowChange(flow.id, flow.version, id)).row();
    return `✔️ ${label}: <b>${escapeHtml(shown)}</b>`;
  });
  return `${t('flow.known-facts')}\n${lines.join('\n')}`;
}

/**
 * The rules an answer lists, evaluated over the user's facts with this run's answers:
 * each deadline with its legal last day and advised day, each status with its start.
 */
function renderOutcomeRules(t: TFunction, screen: FlowScreen, node: OutcomeNode, today: IsoDate, calendar: WorkingCalendar, model?: SituationModel, at?: Date): string | undefined {
  if (!model || !node.rules.length) return undefined;
  const facts = factsOfRun(screen.flow, screen.state.answers, screen.facts);
  const situation = evaluateSituation(model, facts, today, calendar, node.rules);
  const now = at ?? new Date(`${today}T12:00:00+03:00`);
  const blocks = node.rules.flatMap((id) => {
    const item = situation.items.find((i) => i.rule.id === id);
    if (!item) return [];
    if (item.kind === 'deadline') return [renderDeadline(t, model, item, situation.facts, today, now, true)];
    return [`🔴 <b>${t(modelKeys.ruleTitle(id), { ns: FLOWS_NS })}</b> — ${t('situation.since', { date: formatRu(item.since), count: item.days })}`];
  });
  return blocks.length ? [t('situation.deadlines-title'), ...blocks].join('\n\n') : undefined;
}

/** The guided SOS branches (flows/sos.yaml). */
export const SOS_FLOW = 'sos';

export function renderFlowScreen(screen: FlowScreen, { t, today, contacts, calendar, model, now }: RenderContext): RenderedMessage {
  const { flow, view, state } = screen;
  const node = flow.nodes[view.node]!;
  const kb = new InlineKeyboard();
  const parts: string[] = [];
  if (screen.restarted) parts.push(t('flow.restarted', { title: trusted(t(flowKeys.title(flow.id), { ns: FLOWS_NS })) }));
  const known = renderPrefilled(t, flow, view, state, kb, model);
  if (known) parts.push(known);
  const canGoBack = state.stack.length > 0;

  if (view.kind === 'question') {
    if (view.error) parts.push(`<i>${t(`flow.errors.${view.error.code}`, view.error.params ?? {})}</i>`);
    parts.push(t(flowKeys.text(flow.id, view.node), { ns: FLOWS_NS }));
    if (node.type === 'date') parts.push(`<i>${t('flow.date-hint')}</i>`);
    if (node.type === 'datetime') parts.push(`<i>${t('facts.datetime-hint')}</i>`);
    if (node.type === 'number') parts.push(`<i>${t('flow.number-hint', { min: node.min, max: node.max })}</i>`);
    if (node.type === 'choice') {
      node.options.forEach((o, i) => {
        kb.text(t(flowKeys.option(flow.id, view.node, o.id), { ns: FLOWS_NS }), encodeFlowChoice(flow.id, flow.version, view.node, i)).row();
      });
    }
    navRow(kb, t, flow, view, canGoBack);
    return { text: parts.join('\n\n'), keyboard: kb };
  }

  if (view.kind === 'outcome' && node.type === 'outcome') {
    // Every SOS answer offers the urgent hand-off first (the same as /sos: an urgent case, the hot lines).
    if (flow.id === SOS_FLOW) {
      parts.push(t('sos.urgent-above'));
      kb.text(t('sos.urgent-button'), cb.sos).row();
    }
    const dateValues = Object.fromEntries(view.dates.map((d) => [d.id, formatRu(d.date)]));
    parts.push(t(flowKeys.text(flow.id, view.node), { ns: FLOWS_NS, ...dateValues }));
    // The rules' deadlines (legal and advised day) replace the answer's own list of dates where they apply.
    const deadlines = renderOutcomeRules(t, screen, node, today, calendar, model, now);
    const dateLines = deadlines ? [] : renderDates(t, flow, view.node, node, view.dates, today, state, calendar);
    if (deadlines) parts.push(deadlines);
    else if (dateLines.length) parts.push(dateLines.join('\n'));
    if (view.dateError) parts.push(t('outcome.date-error', { year: view.dateError.year }));
    if (node.uncertain) {
      parts.push(t('outcome.uncertain', { text: trusted(t(flowKeys.uncertain(flow.id, view.node), { ns: FLOWS_NS })) }));
    }
    parts.push(
      [renderCitations(t, node), t('outcome.reviewed', { date: formatRu(node.reviewed_on) }), `<i>${t('outcome.disclaimer')}</i>`].join('\n'),
    );
    if (view.dates.some((d) => d.remind)) kb.text(t('dates.save'), cb.saveDates(flow.id, view.node)).row();
    for (const doc of node.documents) {
      kb.text(t('documents.button', { title: t(documentKeys.title(doc), { ns: FLOWS_NS }) }), cb.russianDocument(doc)).row();
    }
    if (node.escalate !== 'none' || node.uncertain || view.dateError) {
      kb.text(t('menu.lawyer'), cb.escalate(flow.id, view.node)).row();
    }
    for (const link of node.links) {
      const label = link.node ? flowKeys.entry(link.flow, link.node) : flowKeys.title(link.flow);
      kb.text(`➡️ ${t(label, { ns: FLOWS_NS })}`, link.node ? cb.flowEntry(link.flow, link.node) : cb.flow(link.flow)).row();
    }
    if (model) kb.text(t('menu.situation'), cb.situation).row();
    navRow(kb, t, flow, view, canGoBack);
    kb.row().text(t('nav.restart'), cb.flow(flow.id));
    return { text: parts.join('\n\n'), keyboard: kb };
  }

  // Escalation: the hand-off to a lawyer, with other places that help. An urgent one (someone
  // held and forced to work) offers the SOS hand-off first: an urgent case and the hot lines.
  if (node.type === 'escalation' && node.urgent) {
    parts.push(t('sos.urgent-above'));
    kb.text(t('sos.urgent-button'), cb.sos).row();
  }
  parts.push(t(flowKeys.text(flow.id, view.node), { ns: FLOWS_NS }));
  // The country's own lines only when the flow asked for the citizenship; never a guess.
  const citizenship = typeof state.answers.citizenship === 'string' ? state.answers.citizenship : undefined;
  const choice = chooseContacts(contacts, citizenship);
  parts.push(renderContacts(t, [...choice.forCountry, ...choice.general]));
  kb.text(t('menu.lawyer'), cb.escalate(flow.id, view.node)).row();
  navRow(kb, t, flow, view, canGoBack);
  kb.row().text(t('nav.restart'), cb.flow(flow.id));
  return { text: parts.join('\n\n'), keyboard: kb };
}
