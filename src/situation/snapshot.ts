/**
 * A user's situation as a lawyer reads it in a case: the facts and every deadline and
 * status, in Russian, frozen when the case opened (the case view and the Russian
 * summary show it; it is erased with the case's personal data).
 */
import type { TFunction } from 'i18next';
import { FLOWS_NS } from '../flow-engine/flow-texts.js';
import { formatRu } from '../lib/iso-date.js';
import type { Situation } from './evaluate.js';
import { formatFactValue } from './fact-values.js';
import { modelKeys } from './model-texts.js';
import type { SituationModel } from './model.js';

export interface SituationSnapshot {
  asOf: string;
  facts: { id: string; label: string; value: string }[];
  items: {
    rule: string;
    kind: 'deadline' | 'status';
    title: string;
    urgent: boolean;
    /** The legal last day, or for hours the legal moment (ISO date-time). */
    legal?: string;
    moment?: boolean;
    /** The next working day where the law moves (or may move) a legal day that is a day off. */
    nextWorkingDay?: string;
    advised?: string;
    since?: string;
    uncertain: boolean;
  }[];
}

export function snapshotSituation(situation: Situation, model: SituationModel, userFactIds: string[], tRu: TFunction): SituationSnapshot {
  return {
    asOf: situation.asOf,
    facts: userFactIds
      .filter((id) => model.facts[id] && situation.facts[id] !== undefined)
      .map((id) => ({ id, label: tRu(modelKeys.factLabel(id), { ns: FLOWS_NS }), value: formatFactValue(tRu, id, model.facts[id], situation.facts[id]!) })),
    items: situation.items.map((i) => ({
      rule: i.rule.id,
      kind: i.kind,
      title: tRu(modelKeys.ruleTitle(i.rule.id), { ns: FLOWS_NS }),
      urgent: i.kind === 'status' || i.rule.urgent,
      uncertain: Boolean(i.rule.uncertain),
      ...(i.kind === 'status'
        ? { since: i.since }
        : { legal: i.legal.value, moment: i.legal.moment, nextWorkingDay: i.legal.nextWorkingDay, advised: i.advised }),
    })),
  };
}

/** The summary's lines: "Срок: … — по закону не позднее 14.03.2026; советуем не позднее 13.03.2026". */
export function summariseSituationRu(s: SituationSnapshot): string[] {
  if (!s.items.length && !s.facts.length) return [];
  const lines = [`Ситуация на ${formatRu(s.asOf)} (по данным пользователя):`];
  if (s.facts.length) lines.push(`  Данные: ${s.facts.map((f) => `${f.label} — ${f.value}`).join('; ')}`);
  for (const i of s.items) {
    const warn = i.uncertain ? ' ⚠ неясно, проверьте' : '';
    if (i.kind === 'status') lines.push(`  ‼ ${i.title} — с ${formatRu(i.since!)}${warn}`);
    else if (i.moment) lines.push(`  ${i.urgent ? '‼ ' : ''}${i.title} — не позднее ${formatRu(i.legal!.slice(0, 10))} ${i.legal!.slice(11, 16)} (UTC${i.legal!.slice(16, 19)})${warn}`);
    else {
      const moved = i.nextWorkingDay ? ` (выходной; перенос на ${formatRu(i.nextWorkingDay)})` : '';
      lines.push(`  ${i.urgent ? '‼ ' : ''}${i.title} — по закону не позднее ${formatRu(i.legal!)}${moved}; советуем не позднее ${formatRu(i.advised!)}${warn}`);
    }
  }
  return lines;
}
