/**
 * Builds every long-lived service once, in one place, and hands them out
 * explicitly. Tests build the same container over a throwaway database.
 */
import { createWorkingCalendar, type WorkingCalendar } from './calendar/working-days.js';
import type { Config } from './config.js';
import { type Contact, loadContacts } from './contacts/contacts.js';
import { loadRightsCard, type RightsCard } from './sos/rights-card.js';
import { loadSosKeywords, type SosKeywords } from './sos/sos-keywords.js';
import { type DatabaseHandle, openDatabase } from './db/client.js';
import { FLOWS_NS } from './flow-engine/flow-texts.js';
import { type FlowSet, loadFlows } from './flow-engine/loader.js';
import { loadContent } from './situation/content.js';
import type { DocumentSet } from './documents/documents.js';
import { snapshotSituation } from './situation/snapshot.js';
import { createFactService, type FactService } from './situation/fact-service.js';
import { createSituationService, type SituationService } from './situation/situation-service.js';
import { externalFacts, type SituationModel } from './situation/model.js';
import { expectedRussianFlowTexts } from './flow-engine/locale-check.js';
import type { Flow } from './flow-engine/schema.js';
import { createFlowRunRepository, type FlowRunRepository } from './flow-runs/flow-run-repository.js';
import { createFlowService, type FlowService } from './flow-service/flow-service.js';
import { createTranslator, readLocales, type Translator } from './i18n/i18n.js';
import type { Logger } from './logger.js';
import { type AuditLog, createAuditLog } from './audit/audit-log.js';
import { type AlertService, createAlertService } from './broadcasts/alert-service.js';
import { createDeadlineService, type DeadlineService } from './deadlines/deadline-service.js';
import { type CaseService, createCaseService } from './lawyer-queue/case-service.js';
import { createPendingInputRepository, type PendingInputRepository } from './lawyer-queue/pending-input-repository.js';
import { type CaseTranslations, createCaseTranslations, machineTranslatorFromConfig } from './machine-translation/case-translations.js';
import type { MachineTranslator } from './machine-translation/providers.js';
import { loadCannedAnswers, seedTemplates } from './lawyer-queue/template-seeds.js';
import { createStaffService, type StaffService } from './staff/staff-service.js';
import { createUserRepository, type UserRepository } from './users/user-repository.js';
import { createUserStateCache, type UserStateCache } from './users/user-state-cache.js';
import { createOutageNotices, type OutageNotices } from './updates/outage-notices.js';
import { createProcessedUpdates, type ProcessedUpdates } from './updates/processed-updates.js';
import { type Cluster, createCluster } from './cluster/cluster.js';

export interface Container {
  config: Config;
  logger: Logger;
  clock: () => Date;
  database: DatabaseHandle;
  calendar: WorkingCalendar;
  flows: FlowSet;
  /** Russian document templates offered under answers (flows/documents/). */
  documents: DocumentSet;
  /** The situation model: facts and rules (flows/facts.yaml, flows/rules.yaml). */
  model: SituationModel;
  factService: FactService;
  situationService: SituationService;
  translator: Translator;
  contacts: Contact[];
  rightsCard: RightsCard;
  sosKeywords: SosKeywords;
  users: UserRepository;
  /** What the bot reads per update, kept between updates; owners of the rows invalidate it. */
  userStates: UserStateCache;
  flowService: FlowService;
  runs: FlowRunRepository;
  cases: CaseService;
  /** Machine translation of case threads (off when no provider is configured). */
  translations: CaseTranslations;
  pending: PendingInputRepository;
  staff: StaffService;
  audit: AuditLog;
  deadlines: DeadlineService;
  alerts: AlertService;
  /** Updates already handled, so a redelivered one is dropped. */
  processedUpdates: ProcessedUpdates;
  /** This process's record of who was told "temporarily unavailable" in a database outage. */
  outage: OutageNotices;
  /** Several bot processes on one PostgreSQL (CLUSTER_MODE); undefined in one process. */
  cluster?: Cluster;
  /** Wakes the outbox sender once it exists (it needs the bot's API). */
  outboxWaker: { wake: () => void };
  /** Reads the flow files again (local mode's "reload flows"); throws on an invalid flow. */
  reloadFlows(): Promise<Flow[]>;
  /** Writes what is still queued (flow state) and closes the database. */
  close(): Promise<void>;
}

const MS_PER_DAY = 86_400_000;
/** Pool connections opened during a start: one answer, the three senders' polls and the first sweep come at once. */
const WARM_CONNECTIONS = 5;

/** The real clock, shifted by CLOCK_OFFSET_DAYS for demonstrations. */
export function systemClock(offsetDays = 0): () => Date {
  return () => new Date(Date.now() + offsetDays * MS_PER_DAY);
}

export interface ContainerOverrides {
  clock?: () => Date;
  /** An already open database (tests share one per file). */
  database?: DatabaseHandle;
  /** A translation provider other than the configured one. */
  machineTranslator?: MachineTranslator;
}

/** What a start reads from disk besides the canned answers: flows, locales, contacts and the SOS card. */
export async function loadStartContent(config: Config) {
  const { flows, model, documents } = await loadContent(config.FLOWS_DIR);
  const translator = await createTranslator(await readLocales(config.LOCALES_DIR));
  const contacts = await loadContacts(config.CONTACTS_FILE);
  const rightsCard = await loadRightsCard(config.SOS_CARD_FILE);
  const sosKeywords = await loadSosKeywords(config.SOS_KEYWORDS_FILE);
  return { flows, model, documents, translator, contacts, rightsCard, sosKeywords };
}

export async function createContainer(config: Config, logger: Logger, overrides: ContainerOverrides = {}): Promise<Container> {
  const clock = overrides.clock ?? systemClock(config.CLOCK_OFFSET_DAYS);
  // The database opens and migrates while the content loads (waiting on the network while
  // the CPU parses and checks: a tenth of a cold start). The canned answers come first: the
  // seeding after the migrations needs them. A broken flow or locale still stops the start,
  // after the database is closed again.
  const cannedAnswers = await loadCannedAnswers(config.CANNED_ANSWERS_FILE);
  const opening = (async () => {
    const db = overrides.database ?? (await openDatabase({ url: config.DATABASE_URL, pgliteDir: config.DATABASE_URL ? undefined : config.PGLITE_DIR }));
    // Several processes starting at once take turns (an advisory lock on PostgreSQL).
    await db.migrate(() => seedTemplates(db.db, cannedAnswers, clock));
    // Not awaited: a connection still opening is simply what the first query waits for.
    db.warm(WARM_CONNECTIONS).catch(() => {});
    return db;
  })();
  let content: Awaited<ReturnType<typeof loadStartContent>>;
  try {
    content = await loadStartContent(config);
  } catch (err) {
    const db = await opening.catch(() => undefined);
    if (db && !overrides.database) await db.close().catch(() => {});
    throw err;
  }
  const { flows, model, documents, translator, contacts, rightsCard, sosKeywords } = content;
  const database = await opening;
  const calendar = createWorkingCalendar();
  const userStates = createUserStateCache();
  const users = createUserRepository(database.db, userStates);
  // Several processes (CLUSTER_MODE): the cluster's own pool for chat turns, announcements and flow-state writes.
  const cluster =
    config.CLUSTER_MODE && config.DATABASE_URL
      ? await createCluster({ url: config.DATABASE_URL, chatConnections: config.CLUSTER_CHAT_CONNECTIONS, cache: userStates, settle: (id) => runs.settle(id), logger })
      : undefined;
  const runs = createFlowRunRepository({ db: database.db, writeDb: cluster?.writeDb, cache: userStates, logger });
  const deadlines = createDeadlineService({
    db: database.db,
    flows,
    calendar,
    clock,
    policy: { daysBefore: config.REMINDER_DAYS, hour: config.REMINDER_HOUR },
    model,
  });
  // Facts changed → reminders follow the rules (the fact service calls back once the situation service exists).
  let situationService: SituationService | undefined;
  const factService = createFactService({
    db: database.db,
    runs,
    model,
    clock,
    invalidate: userStates.invalidate,
    onChanged: (userId) => situationService?.sync(userId) ?? Promise.resolve(),
  });
  situationService = createSituationService({ model, facts: factService, deadlines, calendar, clock, logger });
  const situations = situationService;
  const flowService = createFlowService({
    flows,
    runs,
    calendar,
    clock,
    rules: model.rules,
    // Reminders follow the rules only for users who asked for them: skip the work for the others.
    onFactsChanged: (userId) => {
      if (userStates.get(userId)?.user.remindDeadlines === false) return;
      situations.syncLater(userId);
    },
    utcOffsetOf: (facts) => situations.utcOffset(facts),
  });
  const translations = createCaseTranslations({
    db: database.db,
    provider: overrides.machineTranslator ?? machineTranslatorFromConfig(config),
    neverTopics: config.TRANSLATION_NEVER_TOPICS,
    clock,
    logger,
  });
  const cases = createCaseService({
    db: database.db,
    flows,
    translator,
    clock,
    lawyersChatId: config.LAWYERS_CHAT_ID,
    nearestSavedDate: (userId) => deadlines.nearest(userId),
    situationOf: async (userId) => {
      const facts = await factService.list(userId);
      if (!Object.keys(facts).length) return undefined;
      const ru = translator.forLanguage('ru');
      return snapshotSituation(situations.evaluate(facts), model, Object.keys(facts), ru);
    },
    onUserChanged: userStates.invalidate,
    recentResults: (userId, limit) => runs.listResults(userId, limit),
    onUserMessage: (messageId) => translations.translateLater(messageId),
  });
  const pending = createPendingInputRepository(database.db, userStates);
  const staff = createStaffService({ db: database.db, clock });
  const audit = createAuditLog({ db: database.db, clock });
  const outboxWaker = { wake: () => {} };
  const alerts = createAlertService({ db: database.db, flows, clock });
  const processedUpdates = createProcessedUpdates(database.db, logger);
  const outage = createOutageNotices();
  const reloadFlows = async () => {
    const fresh = await loadFlows(config.FLOWS_DIR, externalFacts(model));
    // The Russian texts come from the flow files themselves until `flows:sync` runs.
    translator.replaceTexts('ru', FLOWS_NS, expectedRussianFlowTexts(fresh.list, model, documents));
    flows.replace(fresh.list);
    return fresh.list;
  };
  const close = async () => {
    await translations.drain();
    await runs.drain();
    await processedUpdates.drain().catch(() => {});
    await cluster?.close().catch(() => {});
    await database.close();
  };
  return { cluster, config, logger, clock, database, calendar, flows, model, documents, factService, situationService: situations, translator, contacts, rightsCard, sosKeywords, users, userStates, flowService, runs, cases, translations, pending, staff, audit, outboxWaker, deadlines, alerts, processedUpdates, outage, reloadFlows, close };
}
