/** Wires a bot to a container's services. */
import type { Container } from '../container.js';
import { type CreateBotOptions, createBot } from './create-bot.js';
import { instrumentBot } from '../metrics/metrics.js';

export function createBotFromContainer(c: Container, opts: CreateBotOptions) {
  const bot = createBot(opts, {
    users: c.users,
    flows: c.flows,
    documents: c.documents,
    flowService: c.flowService,
    runs: c.runs,
    translator: c.translator,
    contacts: c.contacts,
    rightsCard: c.rightsCard,
    sosKeywords: c.sosKeywords,
    clock: c.clock,
    logger: c.logger,
    cases: c.cases,
    pending: c.pending,
    wakeOutbox: () => c.outboxWaker.wake(),
    responseHours: c.config.RESPONSE_TIME_HOURS,
    deadlines: c.deadlines,
    calendar: c.calendar,
    factService: c.factService,
    situationService: c.situationService,
    processedUpdates: c.processedUpdates,
    outage: c.outage,
    chatTurns: c.cluster?.chatTurns,
    translationProvider: c.translations.provider?.displayName,
  });
  // Every transport calls bot.handleUpdate: counted and timed for /metrics there.
  instrumentBot(bot);
  return bot;
}
