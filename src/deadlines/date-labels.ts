/** How a date is named and counted for the user, in their language. */
import type { TFunction } from 'i18next';
import { FLOWS_NS, flowKeys } from '../flow-engine/flow-texts.js';
import { diffDays, type IsoDate } from '../lib/iso-date.js';
import type { UserDateRow } from './deadline-service.js';

/** "today", "in 5 days", "3 days ago". */
export function daysLeft(t: TFunction, date: IsoDate, today: IsoDate): string {
  const n = diffDays(today, date);
  if (n === 0) return t('outcome.today');
  return n > 0 ? t('outcome.days-left', { count: n }) : t('outcome.days-ago', { count: -n });
}

export function dateLabel(t: TFunction, row: Pick<UserDateRow, 'kind' | 'flowId' | 'node' | 'dateId' | 'document'>): string {
  if (row.kind === 'document') return t(`dates.documents.${row.document ?? 'other'}`);
  if (row.kind === 'rule') return t(`rules.${row.dateId ?? ''}.title`, { ns: FLOWS_NS });
  return t(flowKeys.dateLabel(row.flowId ?? '', row.node ?? '', row.dateId ?? ''), { ns: FLOWS_NS });
}
