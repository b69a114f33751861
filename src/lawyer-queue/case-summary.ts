/**
 * The context a lawyer sees, built from the flows the user walked, and its short
 * Russian summary: the lawyer may not read the user's language, so the summary uses
 * the Russian wording of every question and answer, and dates as DD.MM.YYYY.
 */
import type { TFunction } from 'i18next';
import type { CaseContext } from '../db/schema/index.js';
import type { FlowSet } from '../flow-engine/loader.js';
import { FLOWS_NS, flowKeys } from '../flow-engine/flow-texts.js';
import type { FlowResultRow } from '../flow-runs/flow-run-repository.js';
import { formatRu, type IsoDate } from '../lib/iso-date.js';
import { type SituationSnapshot, summariseSituationRu } from '../situation/snapshot.js';
import { truncateWords } from '../lib/truncate.js';

/** How many recent outcomes go into a case: enough context, not a life story. */
export const MAX_CONTEXT_FLOWS = 5;

export const LANGUAGE_NAMES_RU: Record<string, string> = {
  ru: 'русский',
  uz: 'узбекский',
  tg: 'таджикский',
  ky: 'киргизский',
  az: 'азербайджанский',
  ro: 'румынский',
  en: 'английский',
};

export function buildCaseContext(results: FlowResultRow[], from?: CaseContext['from'], situation?: SituationSnapshot): CaseContext {
  return {
    ...(situation ? { situation } : {}),
    flows: results.slice(0, MAX_CONTEXT_FLOWS).map((r) => ({
      flowId: r.flowId,
      outcome: r.outcome,
      answers: r.answers,
      dates: r.dates.map((d) => ({ id: d.id, date: d.date, provisional: d.provisional })),
      at: r.createdAt.toISOString(),
    })),
    ...(from ? { from } : {}),
  };
}

/** The user's nearest future (or most recent past) deadline, for the queue order. */
export function nearestDeadline(context: CaseContext, today: IsoDate): IsoDate | undefined {
  const fromSituation = (context.situation?.items ?? []).flatMap((i) => (i.kind === 'deadline' ? [i.advised ?? i.legal!.slice(0, 10)] : []));
  const all = [...context.flows.flatMap((f) => f.dates.map((d) => d.date)), ...fromSituation].sort();
  return all.find((d) => d >= today) ?? all.at(-1);
}

const strip = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
/** A question's first line or sentence: enough for a lawyer to know what was asked. */
const firstSentence = (html: string) => {
  const line = html.replace(/<[^>]+>/g, '').trim().split('\n')[0] ?? '';
  const m = /^.*?[?.!](\s|$)/.exec(line);
  return truncateWords(strip(m ? m[0] : line), 120);
};

/** Finds the citizenship a user gave in any flow (option ids are ISO-like: uz, tj, kg…). */
export function citizenshipOf(context: CaseContext): string | undefined {
  for (const f of context.flows) {
    const v = f.answers.citizenship;
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** A flow the user walked, in Russian words (what the case view shows instead of node ids). */
export interface ContextViewRu {
  flowId: string;
  title: string;
  answers: { question: string; answer: string }[];
  outcome: string;
  dates: { label: string; date: string; provisional: boolean }[];
  at: string;
}

/** The context as a lawyer reads it: questions, answers and dates in Russian. */
export function contextViewRu(context: CaseContext, flows: FlowSet, tRu: TFunction): ContextViewRu[] {
  return context.flows.map((f) => {
    const flow = flows.get(f.flowId);
    const title = flow ? strip(tRu(flowKeys.title(f.flowId), { ns: FLOWS_NS })) : f.flowId;
    // In the order the flow asks its questions (stored answers lose their order).
    const order = flow ? Object.keys(flow.nodes) : [];
    const answers: ContextViewRu['answers'] = [];
    for (const [node, value] of Object.entries(f.answers).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))) {
      const n = flow?.nodes[node];
      if (!n || n.type === 'branch') continue;
      const question = firstSentence(tRu(flowKeys.text(f.flowId, node), { ns: FLOWS_NS }));
      let answer = String(value);
      if (n.type === 'choice') answer = strip(tRu(flowKeys.option(f.flowId, node, String(value)), { ns: FLOWS_NS }));
      if (n.type === 'date') answer = formatRu(String(value));
      if (n.type === 'datetime') answer = `${formatRu(String(value).slice(0, 10))} ${String(value).slice(11, 16)} (UTC${String(value).slice(16, 19)})`;
      answers.push({ question, answer });
    }
    const values = Object.fromEntries(f.dates.map((d) => [d.id, formatRu(d.date)]));
    const outcome = flow?.nodes[f.outcome] ? truncateWords(strip(tRu(flowKeys.text(f.flowId, f.outcome), { ns: FLOWS_NS, ...values })), 160) : 'ответ бота изменился с тех пор';
    const dates = f.dates.map((d) => ({ label: strip(tRu(flowKeys.dateLabel(f.flowId, f.outcome, d.id), { ns: FLOWS_NS })), date: formatRu(d.date), provisional: d.provisional }));
    return { flowId: f.flowId, title, answers, outcome, dates, at: f.at };
  });
}

export function summariseRu(
  input: { language: string; urgent: boolean; question?: string; context: CaseContext },
  flows: FlowSet,
  tRu: TFunction,
): string {
  const lines: string[] = [];
  const from = input.context.from;
  const urgentWhy = from && from.flowId !== 'sos' ? 'СРОЧНО (риск высылки или выдачи). ' : 'СРОЧНО (задержание / изъятие документов). ';
  lines.push(`${input.urgent ? urgentWhy : ''}Язык пользователя: ${LANGUAGE_NAMES_RU[input.language] ?? input.language}.`);
  for (const f of contextViewRu(input.context, flows, tRu)) {
    lines.push(`Раздел «${f.title}»:`);
    for (const a of f.answers) lines.push(`  – ${a.question} → ${a.answer}`);
    lines.push(`  Ответ бота: ${f.outcome}`);
    for (const d of f.dates) lines.push(`  Дата: ${d.label} — ${d.date}${d.provisional ? ' (предварительно)' : ''}`);
  }
  if (!input.context.flows.length) lines.push('Разделы бота пользователь не проходил.');
  if (input.context.situation) lines.push(...summariseSituationRu(input.context.situation));
  if (input.question) lines.push(`Вопрос (на языке пользователя): ${truncateWords(input.question, 300)}`);
  return lines.join('\n');
}
