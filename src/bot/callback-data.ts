/**
 * Callback data for every non-flow button, as a compact codec. Labels never go in
 * here: Telegram allows 64 bytes and Cyrillic takes two a letter. Flow answers use
 * `flow-engine/callback-codec.ts`.
 */
import type { Language } from '../i18n/languages.js';

export const cb = {
  language: (lng: Language) => `l:${lng}`,
  languageMenu: 'L',
  consentYes: 'c:y',
  consentNo: 'c:n',
  menu: 'm',
  help: 'h',
  lawyer: 'a',
  /** Start (or restart) a flow. */
  flow: (flowId: string) => `f:${flowId}`,
  /** Start a flow from one of its entries (free text about that situation, a link from another flow). */
  flowEntry: (flowId: string, node: string) => `fn:${flowId}:${node}`,
  /** Continue the run in progress. */
  resume: 'k',
  /** Back one question, from a given node (so a stale Back is recognised). */
  back: (flowId: string, version: number, node: string) => `b:${flowId}:${version}:${node}`,
  /** Ask a lawyer about an outcome. */
  escalate: (flowId: string, node: string) => `e:${flowId}:${node}`,
  forgetYes: 'x:y',
  forgetNo: 'x:n',
  sos: 'sos',
  cases: 'cl',
  caseSend: 'cs',
  caseEdit: 'ce',
  caseCancel: 'cx',
  caseWithdraw: (id: number) => `cw:${id}`,
  /** Reply into a case's thread (under a lawyer's answer). */
  caseReply: (id: number) => `cr:${id}`,
  rate: (id: number, stars: number) => `rt:${id}:${stars}`,
  rateSkip: 'rs',
  /** Save an answer's dates and remind. */
  saveDates: (flowId: string, node: string) => `sv:${flowId}:${node}`,
  dates: 'dl',
  dateEdit: (id: number) => `de:${id}`,
  dateDelete: (id: number) => `dd:${id}`,
  datePaid: (id: number) => `dp:${id}`,
  datePaidMonths: (id: number, n: number) => `dm:${id}:${n}`,
  dateSnooze: (id: number) => `dz:${id}`,
  documentAdd: 'da',
  documentKind: (doc: string) => `dk:${doc}`,
  alerts: 'al',
  alertTopic: (topic: string) => `tp:${topic}`,
  /** Stop (`true`) or resume alerts. */
  alertsOff: (off: boolean) => `ao:${off ? 0 : 1}`,
  citizenshipMenu: 'cz',
  citizenship: (code: string) => `cz:${code}`,
  /** On the SOS screen: show this country's hot lines (nothing is stored). */
  sosCountry: (code: string) => `sc:${code}`,
  /** My situation. */
  situation: 'st',
  /** Reminders of my deadlines on (`true`) or off. */
  situationRemind: (on: boolean) => `sr:${on ? 1 : 0}`,
  /** What the bot knows about me. */
  facts: 'fk',
  /** Give or change a fact (for a `records` fact: add a record). */
  factEdit: (fact: string) => `fe:${fact}`,
  factSet: (fact: string, option: number) => `fs:${fact}:${option}`,
  factDelete: (fact: string) => `fd:${fact}`,
  factsDeleteAll: 'fD',
  factsDeleteAllYes: 'fY',
  /** Ask again a flow question whose answer was taken from a known fact. */
  flowChange: (flowId: string, version: number, node: string) => `g:${flowId}:${version}:${node}`,
  /** Send the Russian document (template id) under an answer: explanation, text to copy, PDF. */
  russianDocument: (docId: string) => `rd:${docId}`,
} as const;

export const CALLBACK_PATTERNS = {
  russianDocument: /^rd:([a-z0-9-]{1,24})$/,
  language: /^l:([a-z]{2})$/,
  flow: /^f:([a-z0-9-]+)$/,
  flowEntry: /^fn:([a-z0-9-]+):([a-z0-9-]+)$/,
  back: /^b:([a-z0-9-]+):(\d+):([a-z0-9-]+)$/,
  escalate: /^e:([a-z0-9-]+):([a-z0-9-]+)$/,
  caseWithdraw: /^cw:(\d{1,15})$/,
  caseReply: /^cr:(\d{1,15})$/,
  rate: /^rt:(\d{1,15}):([1-5])$/,
  saveDates: /^sv:([a-z0-9-]+):([a-z0-9-]+)$/,
  dateEdit: /^de:(\d{1,15})$/,
  dateDelete: /^dd:(\d{1,15})$/,
  datePaid: /^dp:(\d{1,15})$/,
  datePaidMonths: /^dm:(\d{1,15}):(\d{1,2})$/,
  dateSnooze: /^dz:(\d{1,15})$/,
  documentKind: /^dk:([a-z-]{1,20})$/,
  alertTopic: /^tp:([a-z]+)$/,
  alertsOff: /^ao:([01])$/,
  citizenship: /^cz:([a-z]{2,5})$/,
  sosCountry: /^sc:([a-z]{2})$/,
  situationRemind: /^sr:([01])$/,
  factEdit: /^fe:([a-z0-9-]{1,24})$/,
  factSet: /^fs:([a-z0-9-]{1,24}):(\d{1,2})$/,
  factDelete: /^fd:([a-z0-9-]{1,24})$/,
  flowChange: /^g:([a-z0-9-]+):(\d+):([a-z0-9-]+)$/,
};
