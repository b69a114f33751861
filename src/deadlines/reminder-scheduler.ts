/**
 * Turns due reminder jobs into messages. Jobs are claimed through the one job
 * mechanism (src/jobs/: FOR UPDATE SKIP LOCKED and a lease, so several processes
 * may run this; a job that fails is retried when its lease runs out), and each job becomes an
 * outbox message in the same transaction that marks it sent: a reminder is queued
 * exactly once, and the outbox delivers it with retries.
 *
 * After downtime: a missed reminder is sent once, late, if its date has not passed;
 * of several missed reminders for one date only the latest is sent; a reminder
 * whose date has passed is dropped and the reason recorded. Nothing is sent during
 * the quiet hours: it waits for the morning.
 */
import { cb } from '../bot/callback-data.js';
import { and, eq, gt, inArray, lte } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { reminderJobs, userDates, users } from '../db/schema/index.js';
import { type Translator, trusted } from '../i18n/i18n.js';
import { isLanguage } from '../i18n/languages.js';
import { addDays, diffDays, formatRu, todayIn } from '../lib/iso-date.js';
import { createJobWorker } from '../jobs/job-worker.js';
import { createLeasedQueue } from '../jobs/leased-queue.js';
import type { Logger } from '../logger.js';
import { enqueue } from '../outbox/outbox.js';
import { dateLabel, daysLeft } from './date-labels.js';
import { type DeadlineService, moscowHour, moscowTime } from './deadline-service.js';
import { errorFacts } from '../lib/error-facts.js';

const LEASE_MS = 60_000;
const BATCH = 50;

export interface QuietHours {
  /** Moscow hour when quiet starts (e.g. 21), and when it ends (e.g. 9). */
  from: number;
  to: number;
}

export function isQuiet(now: Date, q: QuietHours): boolean {
  const h = moscowHour(now);
  return q.from > q.to ? h >= q.from || h < q.to : h >= q.from && h < q.to;
}

/** The first moment after `now` that is outside the quiet hours. */
export function endOfQuiet(now: Date, q: QuietHours): Date {
  const today = todayIn(now);
  const morning = moscowTime(today, q.to);
  return morning > now ? morning : moscowTime(addDays(today, 1), q.to);
}

export interface ReminderSchedulerDeps {
  db: Database;
  deadlines: DeadlineService;
  translator: Translator;
  clock: () => Date;
  logger: Logger;
  quiet: QuietHours;
  /** Wakes the outbox after queuing reminders. */
  wakeOutbox: () => void;
}

export function createReminderScheduler({ db, deadlines, translator, clock, logger, quiet, wakeOutbox }: ReminderSchedulerDeps) {
  const queue = createLeasedQueue(db, {
    table: reminderJobs,
    due: (now) => and(eq(reminderJobs.status, 'pending'), lte(reminderJobs.dueAt, now)),
    orderBy: reminderJobs.dueAt,
    batch: BATCH,
    leaseMs: LEASE_MS,
  });

  async function handle(job: typeof reminderJobs.$inferSelect): Promise<'sent' | 'dropped' | 'cancelled' | 'postponed'> {
    const now = clock();
    const today = todayIn(now);
    return db.transaction(async (tx) => {
      const finish = async (status: 'sent' | 'dropped' | 'cancelled', note: string | null) => {
        await tx.update(reminderJobs).set({ status, note, doneAt: now, leaseUntil: null }).where(eq(reminderJobs.id, job.id));
        return status;
      };
      const [row] = await tx
        .select({ date: userDates, language: users.language, blockedAt: users.blockedAt })
        .from(userDates)
        .innerJoin(users, eq(users.id, userDates.userId))
        .where(eq(userDates.id, job.userDateId))
        .limit(1);
      if (!row) return finish('cancelled', 'date deleted');
      if (row.date.date !== job.forDate) return finish('cancelled', 'date changed');
      if (row.blockedAt) return finish('dropped', 'user blocked the bot');
      if (row.date.date < today) return finish('dropped', 'the date passed while no reminder could be sent');
      const [later] = await tx
        .select({ id: reminderJobs.id })
        .from(reminderJobs)
        .where(
          and(
            eq(reminderJobs.userDateId, job.userDateId),
            eq(reminderJobs.forDate, job.forDate),
            inArray(reminderJobs.status, ['pending', 'sent']),
            lte(reminderJobs.dueAt, now),
            gt(reminderJobs.dueAt, job.dueAt),
          ),
        )
        .limit(1);
      if (later) return finish('dropped', 'superseded by a later reminder that is also due');
      if (isQuiet(now, quiet)) {
        await tx.update(reminderJobs).set({ dueAt: endOfQuiet(now, quiet), leaseUntil: null }).where(eq(reminderJobs.id, job.id));
        return 'postponed';
      }
      const t = translator.forLanguage(isLanguage(row.language) ? row.language : 'ru');
      const left = diffDays(today, row.date.date);
      const payment = deadlines.paymentInfo(row.date);
      const buttons = [
        ...(payment ? [{ text: t('dates.paid'), callback_data: cb.datePaid(row.date.id) }] : []),
        ...(left > 0 ? [{ text: t('dates.tomorrow'), callback_data: cb.dateSnooze(row.date.id) }] : []),
      ];
      const text = [
        t('dates.reminder', { label: trusted(dateLabel(t, row.date)), date: formatRu(row.date.date) }),
        daysLeft(t, row.date.date, today),
        payment ? t('dates.reminder-payment') : t('dates.reminder-general'),
      ].join('\n');
      await enqueue(
        tx,
        [
          {
            chatId: row.date.userId,
            kind: 'reminder',
            payload: {
              text,
              parse_mode: 'HTML',
              reply_markup: { inline_keyboard: [buttons, [{ text: t('dates.my-dates'), callback_data: cb.dates }]].filter((r) => r.length) },
            },
          },
        ],
        now,
      );
      return finish('sent', job.dueAt < new Date(now.getTime() - 3_600_000) ? 'sent late after downtime' : null);
    });
  }

  return createJobWorker({
    name: 'reminders',
    logger,
    intervalMs: 30_000,
    async runBatch() {
      const jobs = await queue.claim(clock());
      // Oldest first, so catch-up after downtime is decided in order.
      jobs.sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime());
      let handled = 0;
      for (const job of jobs) {
        const result = await handle(job).catch((err) => {
          logger.error({ jobId: job.id, error: errorFacts(err) }, 'reminder failed');
          return 'error' as const;
        });
        if (result !== 'postponed') handled++;
      }
      return { claimed: jobs.length, handled };
    },
    afterRun: (handled) => {
      if (handled) wakeOutbox();
    },
  });
}

export type ReminderScheduler = ReturnType<typeof createReminderScheduler>;
