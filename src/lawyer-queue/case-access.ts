/**
 * One rule for a case another lawyer has claimed. Reading it (with its
 * attachments and translations) and writing internal notes are open to every
 * lawyer: a colleague may help. Everything that speaks to the migrant or changes who
 * holds the case or its state — claim, reply, translating a reply, release, close,
 * reopen, retrying deliveries — belongs to the lawyer who holds it, or an admin;
 * anyone else gets 409. An unclaimed case is open to every lawyer.
 */
import type { Actor } from '../staff/staff-service.js';
import { CaseConflictError } from './errors.js';

export const OPEN_CASE_ACTIONS = ['read', 'note', 'attachment', 'translate-retry'] as const;
export const HOLDER_CASE_ACTIONS = ['claim', 'reply', 'translate-draft', 'release', 'close', 'reopen', 'retry-delivery'] as const;
export type CaseAction = (typeof OPEN_CASE_ACTIONS)[number] | (typeof HOLDER_CASE_ACTIONS)[number];

const OPEN = new Set<CaseAction>(OPEN_CASE_ACTIONS);

/** Whether `actor` may do `action` on a case held by `assigneeId` (null: nobody). */
export function mayAct(c: { assigneeId: number | null }, actor: Actor, action: CaseAction): boolean {
  return OPEN.has(action) || actor.role === 'admin' || c.assigneeId === null || c.assigneeId === actor.id;
}

/** Throws the 409 every refused action answers with. */
export function assertMayAct(c: { id: number; assigneeId: number | null }, actor: Actor, action: CaseAction): void {
  if (!mayAct(c, actor, action)) {
    throw new CaseConflictError(`case ${c.id} is claimed by another lawyer: only they or an admin may ${action.replace('-', ' ')} it`);
  }
}
