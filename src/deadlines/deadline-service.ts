/**
 * A user's saved legal dates and their reminders: saved from a flow answer or typed
 * as a document expiry, listed by urgency, edited, deleted, and — for payments —
 * moved by "I paid" with the flow's own rule. Reminders are due jobs in the
 * database, rescheduled in the same transaction as the date they belong to.
 */
import { and, asc, eq, gte, inArray, min } from 'drizzle-orm';
import type { WorkingCalendar } from '../calendar/working-days.js';
import type { Database } from '../db/client.js';
import { reminderJobs, userDates, users } from '../db/schema/index.js';
import type { Situation } from '../situation/evaluate.js';
import type { SituationModel } from '../situation/model.js';
import type { FlowSet } from '../flow-engine/loader.js';
import { computeDates } from '../flow-engine/step.js';
import type { AnswerValue } from '../flow-engine/types.js';
import { addDays, type IsoDate, todayIn } from '../lib/iso-date.js';

export type UserDateRow = typeof userDates.$inferSelect;

/** Documents a user may track the expiry of (keys of `dates.documents.*`). */
export const DOCUMENTS = ['passport', 'migration-card', 'patent', 'registration', 'insurance', 'visa', 'other'] as const;
export type DocumentKind = (typeof DOCUMENTS)[number];

export interface ReminderPolicy {
  /** Days before the date to remind (0 = on the day). */
  daysBefore: number[];
  /** Hour of day, Moscow time, reminders are due. */
  hour: number;
}

/**
 * Moscow has kept UTC+3 all year since 2014 (no daylight saving), so a Moscow
 * wall-clock time is this fixed offset.
 */
export const MOSCOW_OFFSET = '+03:00';

export function moscowTime(date: IsoDate, hour: number): Date {
  return new Date(`${date}T${String(hour).padStart(2, '0')}:00:00${MOSCOW_OFFSET}`);
}

export function moscowHour(now: Date): number {
  return (now.getUTCHours() + 3) % 24;
}

type Tx = Pick<Database, 'insert' | 'update' | 'select' | 'delete'>;

export interface DeadlineServiceDeps {
  db: Database;
  flows: FlowSet;
  calendar: WorkingCalendar;
  clock: () => Date;
  policy: ReminderPolicy;
  /** The situation model's rules: reminders of `rule` dates follow them. */
  model?: SituationModel;
}

/** A deadline rule's day to remind of, from a user's situation. */
export interface RuleDate {
  rule: string;
  date: IsoDate;
  provisional: boolean;
}

/** The reminder dates a situation gives: the advised day of every deadline that reminds and is still ahead. */
export function ruleDates(situation: Situation): RuleDate[] {
  return situation.items.flatMap((i) =>
    i.kind === 'deadline' && i.rule.remind && i.advised && i.legal.value.slice(0, 10) >= situation.asOf
      ? [{ rule: i.rule.id, date: i.advised < situation.asOf ? situation.asOf : i.advised, provisional: i.provisional }]
      : [],
  );
}

export function createDeadlineService({ db, flows, calendar, clock, policy, model }: DeadlineServiceDeps) {
  /** Replaces the pending reminders of a date with ones for its current value. */
  async function schedule(tx: Tx, row: UserDateRow): Promise<void> {
    const now = clock();
    await tx
      .update(reminderJobs)
      .set({ status: 'cancelled', doneAt: now, note: 'date changed' })
      .where(and(eq(reminderJobs.userDateId, row.id), eq(reminderJobs.status, 'pending')));
    const jobs = policy.daysBefore
      .map((d) => ({ daysBefore: d, dueAt: moscowTime(addDays(row.date, -d), policy.hour) }))
      .filter((j) => j.dueAt > now);
    if (!jobs.length) return;
    await tx
      .insert(reminderJobs)
      .values(jobs.map((j) => ({ userDateId: row.id, userId: row.userId, daysBefore: j.daysBefore, forDate: row.date, dueAt: j.dueAt })))
      .onConflictDoNothing();
  }

  /** Recomputes a flow date from its stored answers with the flow as it is now. */
  function recompute(row: UserDateRow, answers: Record<string, AnswerValue>) {
    const flow = row.flowId ? flows.get(row.flowId) : undefined;
    const node = flow && row.node ? flow.nodes[row.node] : undefined;
    if (node?.type !== 'outcome') return undefined;
    const { dates } = computeDates(node, { answers, today: todayIn(clock()), calendar });
    return dates.find((d) => d.id === row.dateId);
  }

  return {
    /** When reminders come (the bot tells users). */
    policy,
    /** Saves the dates of a flow answer that are worth a reminder. */
    async saveFromOutcome(userId: number, flowId: string, nodeId: string, answers: Record<string, AnswerValue>): Promise<UserDateRow[]> {
      const node = flows.get(flowId)?.nodes[nodeId];
      if (node?.type !== 'outcome') return [];
      const { dates } = computeDates(node, { answers, today: todayIn(clock()), calendar });
      const wanted = dates.filter((d) => d.remind);
      const now = clock();
      return db.transaction(async (tx) => {
        const saved: UserDateRow[] = [];
        for (const d of wanted) {
          // Saving the same answer twice updates the date instead of adding a copy.
          await tx
            .delete(userDates)
            .where(and(eq(userDates.userId, userId), eq(userDates.flowId, flowId), eq(userDates.node, nodeId), eq(userDates.dateId, d.id)));
          const [row] = await tx
            .insert(userDates)
            .values({ userId, kind: 'flow', flowId, node: nodeId, dateId: d.id, answers, date: d.date, provisional: d.provisional, createdAt: now, updatedAt: now })
            .returning();
          await schedule(tx, row!);
          saved.push(row!);
        }
        return saved;
      });
    },

    async addDocument(userId: number, document: DocumentKind, date: IsoDate): Promise<UserDateRow> {
      const now = clock();
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(userDates).values({ userId, kind: 'document', document, date, createdAt: now, updatedAt: now }).returning();
        await schedule(tx, row!);
        return row!;
      });
    },

    /** The user's dates, most urgent first (past ones last). */
    async list(userId: number): Promise<UserDateRow[]> {
      const rows = await db.select().from(userDates).where(eq(userDates.userId, userId)).orderBy(asc(userDates.date), asc(userDates.id));
      const today = todayIn(clock());
      return [...rows.filter((r) => r.date >= today), ...rows.filter((r) => r.date < today).reverse()];
    },

    async find(userId: number, id: number): Promise<UserDateRow | undefined> {
      const [row] = await db.select().from(userDates).where(and(eq(userDates.id, id), eq(userDates.userId, userId))).limit(1);
      return row;
    },

    /** The nearest date still ahead, for the lawyers' queue order. */
    async nearest(userId: number): Promise<IsoDate | undefined> {
      const [row] = await db
        .select({ d: min(userDates.date) })
        .from(userDates)
        .where(and(eq(userDates.userId, userId), gte(userDates.date, todayIn(clock()))));
      return row?.d ?? undefined;
    },

    async remove(userId: number, id: number): Promise<boolean> {
      const rows = await db.delete(userDates).where(and(eq(userDates.id, id), eq(userDates.userId, userId))).returning({ id: userDates.id });
      return rows.length > 0;
    },

    /** The user corrects a date by hand (their document says otherwise). */
    async edit(userId: number, id: number, date: IsoDate): Promise<UserDateRow | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(userDates)
          .set({ date, provisional: false, updatedAt: clock() })
          .where(and(eq(userDates.id, id), eq(userDates.userId, userId)))
          .returning();
        if (row) await schedule(tx, row);
        return row;
      });
    },

    /**
     * Brings the user's `rule` dates in step with their situation: a date per deadline
     * that reminds, moved when the facts moved it, removed when it no longer applies.
     * Only for users who asked for reminders of their deadlines. Reminders are
     * rescheduled in the same transaction, with the usual guarantees.
     */
    async syncRuleDates(userId: number, wanted: RuleDate[]): Promise<{ added: number; moved: number; removed: number }> {
      const now = clock();
      return db.transaction(async (tx) => {
        const [user] = await tx.select({ on: users.remindDeadlines }).from(users).where(eq(users.id, userId)).limit(1);
        const current = await tx.select().from(userDates).where(and(eq(userDates.userId, userId), eq(userDates.kind, 'rule')));
        const keep = user?.on ? wanted : [];
        const stats = { added: 0, moved: 0, removed: 0 };
        for (const row of current) {
          if (keep.some((w) => w.rule === row.dateId)) continue;
          await tx.delete(userDates).where(eq(userDates.id, row.id));
          stats.removed++;
        }
        for (const w of keep) {
          const row = current.find((r) => r.dateId === w.rule);
          if (row && row.date === w.date) continue;
          const [saved] = row
            ? await tx.update(userDates).set({ date: w.date, provisional: w.provisional, updatedAt: now }).where(eq(userDates.id, row.id)).returning()
            : await tx.insert(userDates).values({ userId, kind: 'rule', dateId: w.rule, date: w.date, provisional: w.provisional, createdAt: now, updatedAt: now }).returning();
          await schedule(tx, saved!);
          stats[row ? 'moved' : 'added']++;
        }
        return stats;
      });
    },

    /** Switches reminders of the user's deadlines on or off (the caller syncs afterwards). */
    async setRemindDeadlines(userId: number, on: boolean): Promise<void> {
      await db.update(users).set({ remindDeadlines: on, updatedAt: clock() }).where(eq(users.id, userId));
    },

    /** The records fact "✅ I paid" adds to, for a `rule` date whose rule declares one. */
    paymentFact(row: UserDateRow): string | undefined {
      if (row.kind !== 'rule') return undefined;
      const rule = model?.rules.find((r) => r.id === row.dateId);
      return rule?.kind === 'deadline' ? rule.payment_fact : undefined;
    },

    /** Whether "I paid" applies to this date, and how many more months may be paid. */
    paymentInfo(row: UserDateRow): { node: string; paid: number; max: number } | undefined {
      const fact = this.paymentFact(row);
      const def = fact ? model?.facts[fact] : undefined;
      if (fact && def?.type === 'records') {
        const months = Object.values(def.fields).find((f) => f.type === 'number');
        return { node: fact, paid: 0, max: months?.max ?? 12 };
      }
      const flow = row.flowId ? flows.get(row.flowId) : undefined;
      const outcome = flow && row.node ? flow.nodes[row.node] : undefined;
      if (outcome?.type !== 'outcome') return undefined;
      const spec = outcome.dates.find((d) => d.id === row.dateId);
      const monthsNode = spec?.paid_months ? flow?.nodes[spec.paid_months] : undefined;
      if (!spec?.paid_months || monthsNode?.type !== 'number') return undefined;
      const paid = Number(row.answers?.[spec.paid_months] ?? 0);
      return { node: spec.paid_months, paid, max: monthsNode.max };
    },

    /**
     * "I paid N more months": adds them to the months paid and recomputes the next
     * payment date with the flow's rule. Refuses to go past the patent's 12 months.
     */
    async paid(userId: number, id: number, months: number): Promise<{ row: UserDateRow } | { error: 'not-found' | 'not-payment' | 'over-max'; max?: number }> {
      const row = await this.find(userId, id);
      if (!row) return { error: 'not-found' };
      const info = this.paymentInfo(row);
      if (!info) return { error: 'not-payment' };
      if (info.paid + months > info.max) return { error: 'over-max', max: info.max - info.paid };
      const answers = { ...row.answers, [info.node]: info.paid + months };
      const next = recompute(row, answers);
      if (!next) return { error: 'not-payment' };
      return db.transaction(async (tx) => {
        const [updated] = await tx
          .update(userDates)
          .set({ answers, date: next.date, provisional: next.provisional, updatedAt: clock() })
          .where(eq(userDates.id, id))
          .returning();
        await schedule(tx, updated!);
        return { row: updated! };
      });
    },

    /** "Remind me tomorrow": one more reminder tomorrow at the usual hour, if the date is not past by then. */
    async snooze(userId: number, id: number): Promise<IsoDate | undefined> {
      const row = await this.find(userId, id);
      if (!row) return undefined;
      const tomorrow = addDays(todayIn(clock()), 1);
      if (tomorrow > row.date) return undefined;
      await db
        .insert(reminderJobs)
        .values({ userDateId: row.id, userId, daysBefore: -1, forDate: row.date, dueAt: moscowTime(tomorrow, policy.hour) })
        .onConflictDoNothing();
      return tomorrow;
    },

    /** Pending reminders of a user's dates (for tests and the "My dates" screen). */
    async pendingJobs(userId: number) {
      return db
        .select()
        .from(reminderJobs)
        .where(and(eq(reminderJobs.userId, userId), inArray(reminderJobs.status, ['pending'])))
        .orderBy(asc(reminderJobs.dueAt));
    },
  };
}

export type DeadlineService = ReturnType<typeof createDeadlineService>;
