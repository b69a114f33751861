/** How a saved date is named to the user, in their language. */
import type { TFunction } from 'i18next';
import { FLOWS_NS, flowKeys } from '../flow-engine/flow-texts.js';
import type { UserDateRow } from './deadline-service.js';

export function dateLabel(t: TFunction, row: Pick<UserDateRow, 'kind' | 'flowId' | 'node' | 'dateId' | 'document'>): string {
  if (row.kind === 'document') return t(`dates.documents.${row.document ?? 'other'}`);
  return t(flowKeys.dateLabel(row.flowId ?? '', row.node ?? '', row.dateId ?? ''), { ns: FLOWS_NS });
}
