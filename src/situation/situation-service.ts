/**
 * A user's situation: their facts, every rule evaluated against them as of today, and
 * the reminders that follow. No grammY and no HTTP: the bot and the lawyers' case view
 * render what this returns.
 */
import type { WorkingCalendar } from '../calendar/working-days.js';
import { type DeadlineService, ruleDates, type UserDateRow } from '../deadlines/deadline-service.js';
import { addDays, todayIn } from '../lib/iso-date.js';
import type { Logger } from '../logger.js';
import { evaluateSituation, type Situation } from './evaluate.js';
import type { FactService } from './fact-service.js';
import type { SituationModel } from './model.js';
import type { FactMap } from './schema.js';

/** Moscow time, the legal time of the deadlines, unless the user's region says otherwise. */
export const MOSCOW_UTC_OFFSET = 3;

export interface SituationServiceDeps {
  model: SituationModel;
  facts: FactService;
  deadlines: DeadlineService;
  calendar: WorkingCalendar;
  clock: () => Date;
  logger: Logger;
}

export function createSituationService({ model, facts, deadlines, calendar, clock, logger }: SituationServiceDeps) {
  const evaluate = (userFacts: FactMap, now = clock()) => evaluateSituation(model, userFacts, todayIn(now), calendar);

  async function sync(userId: number): Promise<void> {
    await deadlines.syncRuleDates(userId, ruleDates(evaluate(await facts.list(userId))));
  }

  return {
    evaluate,

    /** The user's situation as of now (their stored facts, queued flow answers included). */
    async of(userId: number): Promise<Situation> {
      return evaluate(await facts.list(userId));
    },

    /** The hours offset a user's date-times are typed and shown in: their region's, or Moscow's. */
    utcOffset(userFacts: FactMap): number {
      const region = userFacts.region;
      const def = model.facts.region;
      const option = def?.type === 'choice' ? def.options.find((o) => o.id === region) : undefined;
      return option?.utc_offset ?? MOSCOW_UTC_OFFSET;
    },

    /** Reminders follow the rules: call after the user's facts changed. */
    sync,

    /**
     * The same, for facts a flow wrote behind its reply: runs in the background so the
     * reply does not wait; a failure is logged (the next change or /situation syncs again).
     */
    syncLater(userId: number): void {
      sync(userId).catch((err: Error) => logger.error({ error: err.name, message: err.message }, 'reminder sync failed'));
    },

    /** "🔔 Remind me" on My situation. */
    async remindOn(userId: number, on: boolean): Promise<void> {
      await deadlines.setRemindDeadlines(userId, on);
      await sync(userId);
    },

    /**
     * "✅ I paid N months" under a reminder of a rule's date: the payment becomes a fact
     * (dated today), and the rule moves the date — or, if the payment came after the paid
     * period had ended, says the patent ended (a late payment does not revive it).
     */
    async paid(userId: number, row: UserDateRow, months: number): Promise<{ next?: UserDateRow; situation: Situation }> {
      const fact = deadlines.paymentFact(row);
      if (!fact) throw new Error(`date ${row.id} takes no payment`);
      const def = model.facts[fact];
      const dateField = def?.type === 'records' ? def.order_by : 'paid_on';
      const monthsField = def?.type === 'records' ? (Object.entries(def.fields).find(([, f]) => f.type === 'number')?.[0] ?? 'months') : 'months';
      await facts.addRecord(userId, fact, { [dateField]: todayIn(clock()), [monthsField]: months }, 'payment');
      const situation = await this.of(userId);
      const next = (await deadlines.list(userId)).find((r) => r.kind === 'rule' && r.dateId === row.dateId);
      return { next, situation };
    },

    /** For the lawyers' queue: the nearest day to act among the user's deadlines. */
    nearest(situation: Situation) {
      const ahead = situation.items.flatMap((i) => (i.kind === 'deadline' && i.actBy >= situation.asOf ? [i.actBy] : []));
      return ahead.sort()[0] ?? (situation.items.some((i) => i.kind === 'status') ? addDays(situation.asOf, 0) : undefined);
    },
  };
}

export type SituationService = ReturnType<typeof createSituationService>;
