/** Types shared by the pure flow engine and its transports. */
import type { IsoDate } from '../lib/iso-date.js';

/** A choice answer is an option id, a date answer an ISO date, a number answer a number. */
export type AnswerValue = string | number;

/**
 * Everything the engine needs to continue a user's run. It is stored as-is in the
 * database, so it holds ids and values only: no texts, which live in flows and locales.
 */
export interface RunState {
  flowId: string;
  version: number;
  node: string;
  answers: Record<string, AnswerValue>;
  /** Question nodes answered on the way here, for Back. */
  stack: string[];
}

export type FlowInput =
  /** `entry`: the node of one of the flow's entries, when free text about it started the walk. */
  | { type: 'start'; entry?: string }
  | { type: 'choose'; node: string; option: number }
  | { type: 'text'; text: string }
  | { type: 'back' }
  /** Ask again a question whose answer was taken from a known fact. */
  | { type: 'change'; node: string };

/** Why an input was refused. Each maps to a translated message `flow.errors.<code>`. */
export type InputErrorCode =
  | 'stale'
  | 'date-format'
  | 'date-future'
  | 'date-too-old'
  | 'datetime-format'
  | 'datetime-future'
  | 'number-format'
  | 'number-range'
  | 'use-buttons'
  | 'nothing-to-go-back-to';

export interface InputError {
  code: InputErrorCode;
  params?: Record<string, string | number>;
}

export interface ComputedDate {
  id: string;
  date: IsoDate;
  /** In a year whose production calendar is provisional. */
  provisional: boolean;
  remind: boolean;
}

/** Questions answered from known facts on the way to this screen (shown with a "change" button). */
interface Prefilled {
  prefilled?: string[];
}

export type FlowView =
  | ({ kind: 'question'; node: string; error?: InputError } & Prefilled)
  | ({
      kind: 'outcome';
      node: string;
      dates: ComputedDate[];
      /** Set when a date could not be computed (a year the calendar does not know). */
      dateError?: { year: number };
    } & Prefilled)
  | ({ kind: 'escalation'; node: string; urgent: boolean } & Prefilled);

export interface StepResult {
  state: RunState;
  view: FlowView;
}
