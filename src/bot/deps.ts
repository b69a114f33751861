/** What the bot needs, passed explicitly to `createBot` (no module-level singletons). */
import type { Contact } from '../contacts/contacts.js';
import type { FlowSet } from '../flow-engine/loader.js';
import type { FlowRunRepository } from '../flow-runs/flow-run-repository.js';
import type { FlowService } from '../flow-service/flow-service.js';
import type { Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import type { UserRepository } from '../users/user-repository.js';

export interface BotDeps {
  users: UserRepository;
  flows: FlowSet;
  flowService: FlowService;
  runs: FlowRunRepository;
  translator: Translator;
  contacts: Contact[];
  clock: () => Date;
  logger: Logger;
}
