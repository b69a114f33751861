/** The grammY context every feature sees: the user's row, language and translator. */
import type { Context } from 'grammy';
import type { TFunction } from 'i18next';
import type { RunState } from '../flow-engine/types.js';
import type { PendingInput } from '../lawyer-queue/pending-input-repository.js';
import type { Language } from '../i18n/languages.js';
import type { UserRow } from '../users/user-repository.js';

export interface PravoFlavor {
  /** The stored user, or undefined before they chose a language. */
  user: UserRow | undefined;
  /** The user's run in progress as read with the user (before this update changed anything). */
  known: { run: RunState | undefined } | undefined;
  /** What the user is writing to a lawyer, if anything (read with the user). */
  pending: PendingInput | undefined;
  /** The user's newest case still being worked on. */
  openCaseId: number | undefined;
  lang: Language;
  t: TFunction;
}

export type BotContext = Context & PravoFlavor;
