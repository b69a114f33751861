/** What the bot needs, passed explicitly to `createBot` (no module-level singletons). */
import type { Contact } from '../contacts/contacts.js';
import type { RightsCard } from '../sos/rights-card.js';
import type { SosKeywords } from '../sos/sos-keywords.js';
import type { FlowSet } from '../flow-engine/loader.js';
import type { DocumentSet } from '../documents/documents.js';
import type { FlowRunRepository } from '../flow-runs/flow-run-repository.js';
import type { FlowService } from '../flow-service/flow-service.js';
import type { Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import type { WorkingCalendar } from '../calendar/working-days.js';
import type { DeadlineService } from '../deadlines/deadline-service.js';
import type { CaseService } from '../lawyer-queue/case-service.js';
import type { PendingInputRepository } from '../lawyer-queue/pending-input-repository.js';
import type { UserRepository } from '../users/user-repository.js';
import type { FactService } from '../situation/fact-service.js';
import type { SituationService } from '../situation/situation-service.js';
import type { OutageNotices } from '../updates/outage-notices.js';
import type { ProcessedUpdates } from '../updates/processed-updates.js';
import type { ChatTurns } from '../cluster/chat-turns.js';

export interface BotDeps {
  users: UserRepository;
  flows: FlowSet;
  /** Russian document templates (a demand, a claim…) offered under answers; none when absent. */
  documents?: DocumentSet;
  flowService: FlowService;
  runs: FlowRunRepository;
  translator: Translator;
  contacts: Contact[];
  /** The rights card's citations and review date. */
  rightsCard: RightsCard;
  /** Typed text that should lead to SOS, in every language. */
  sosKeywords: SosKeywords;
  clock: () => Date;
  logger: Logger;
  cases: CaseService;
  pending: PendingInputRepository;
  /** Delivers queued messages now (after a case opens), not at the next tick. */
  wakeOutbox: () => void;
  /** The usual lawyer response time we promise, in hours. */
  responseHours: number;
  deadlines: DeadlineService;
  calendar: WorkingCalendar;
  /** The user's facts (What the bot knows) and their situation (My situation). */
  factService: FactService;
  situationService: SituationService;
  /** Updates already handled (repeats are dropped). */
  processedUpdates: ProcessedUpdates;
  /** Who was told "temporarily unavailable" in the current database outage. */
  outage: OutageNotices;
  /** Cluster mode: each update handled under its chat's lock across processes (src/cluster/). */
  chatTurns?: ChatTurns;
  /** Who receives questions for machine translation, named in the terms (none: off). */
  translationProvider?: string;
}
