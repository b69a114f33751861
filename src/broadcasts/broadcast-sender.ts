/**
 * Delivers alerts at a steady rate, through the one job mechanism (src/jobs/).
 * Deliveries are claimed in batches with FOR UPDATE SKIP LOCKED and a lease, so
 * several processes (one machine or many, one PostgreSQL) share the work and a
 * killed process's claims are taken over when the lease runs out. The rate holds
 * for all processes together (a pacer shared through the database); a 429 pauses
 * every process for `retry_after`; 5xx and network errors back off; 403 marks the
 * user as having blocked the bot, without retrying. Corrections edit delivered
 * copies through the same pacing.
 */
import { and, eq, lte, sql } from 'drizzle-orm';
import type { Api } from 'grammy';
import type { Database } from '../db/client.js';
import { alertDeliveries, alerts } from '../db/schema/index.js';
import type { Translator } from '../i18n/i18n.js';
import { isLanguage } from '../i18n/languages.js';
import { createJobWorker } from '../jobs/job-worker.js';
import { createLeasedQueue } from '../jobs/leased-queue.js';
import { createSharedPacer } from '../jobs/shared-pacer.js';
import { afterFailure, classifyTelegramError, columnsAfterFailure, type RetryPolicy } from '../jobs/telegram-failure.js';
import { errorFacts } from '../lib/error-facts.js';
import type { Logger } from '../logger.js';
import type { AlertService } from './alert-service.js';

/** How long a claimed batch is held before another process may take it over. */
export const DELIVERY_LEASE_MS = 30_000;
/**
 * How long the sender waits for one send before it stops counting it against the
 * concurrency (the call goes on, and its answer is still recorded). With about 3%
 * of calls hanging for 12 s, waiting for each would hold the rate at a tenth.
 */
export const SEND_WAIT_MS = 5_000;
/** Leeway between a send's hard timeout and the end of its claim's lease. */
const LEASE_MARGIN_MS = 5_000;
/** Attempts before a delivery is marked failed; back-off 1 s, 2 s, 4 s … capped at 5 minutes. */
const RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 1_000, capMs: 300_000 };
/** The name of the alerts' rate in `rate_limits`: every process sending alerts shares it. */
export const ALERT_RATE_LIMIT = 'alerts';

export interface BroadcastSenderOptions {
  db: Database;
  api: Api;
  alertsService: AlertService;
  translator: Translator;
  clock: () => Date;
  logger: Logger;
  /** Telegram says the user blocked the bot (the user repository marks them, as for the outbox). */
  onBlocked: (userId: number) => Promise<void>;
  /** Messages per second (Telegram: about 30 for free, up to 1,000 with paid broadcasts). */
  rate: number;
  /** Most sends waited for at once (default: enough to hold the rate while some calls hang). */
  concurrency?: number;
  /** See SEND_WAIT_MS. */
  sendWaitMs?: number;
  /** How long a claim is held before another process may take it over. */
  leaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

type Delivery = typeof alertDeliveries.$inferSelect;

export function createBroadcastSender(o: BroadcastSenderOptions) {
  const { db, api, clock, logger } = o;
  const pacer = createSharedPacer({ db, name: ALERT_RATE_LIMIT, rate: o.rate, sleep: o.sleep });
  const leaseMs = o.leaseMs ?? DELIVERY_LEASE_MS;
  // A send is cut off before its claim's lease runs out, so no other process (or
  // batch) takes it over while it is still going.
  const hardTimeoutMs = leaseMs > 2 * LEASE_MARGIN_MS ? leaseMs - LEASE_MARGIN_MS : leaseMs / 2;
  const sendWaitMs = Math.min(o.sendWaitMs ?? SEND_WAIT_MS, hardTimeoutMs);
  // Room for a fifth of a wait's worth of sends to hang without slowing the rest.
  const concurrency = o.concurrency ?? Math.max(8, Math.min(1000, Math.ceil((o.rate * sendWaitMs) / 1000 / 5)));
  // A quarter of a second's worth per claim: a killed process leaves few claims behind.
  const batch = Math.max(10, Math.min(500, Math.ceil(o.rate / 4)));
  /** Every send not finished (awaited before a run ends), and those still counted against the concurrency. */
  const pending = new Set<Promise<void>>();
  const waited = new Set<Promise<unknown>>();
  /** Successful sends waiting to be recorded in one statement; `corrected`: sent with the corrected text. */
  let sentBuffer: { id: number; messageId: number; at: string; corrected: boolean }[] = [];
  /**
   * A copy that went out with the original text while a correction was being made
   * (it was not recorded as sent yet, so the correction did not mark it) is marked
   * for correction here, when the alert has a correction by now.
   */
  async function flushSent() {
    if (!sentBuffer.length) return;
    const rows = sentBuffer;
    sentBuffer = [];
    await db.execute(sql`
      update alert_deliveries d
      set status = 'sent', message_id = v.message_id, sent_at = v.at, lease_until = null, last_error = null,
        correction = case when not v.corrected and a.correction_texts is not null then 'pending' end
      from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ id: r.id, message_id: r.messageId, at: r.at, corrected: r.corrected })))}::jsonb)
        as v(id bigint, message_id bigint, at timestamptz, corrected boolean), alerts a
      where d.id = v.id and a.id = d.alert_id`);
  }
  const textCache = new Map<number, { texts: Record<string, string>; correction: Record<string, string> | null }>();

  const claiming = { table: alertDeliveries, orderBy: alertDeliveries.id, batch, leaseMs };
  const countAttempt = { attempts: sql`${alertDeliveries.attempts} + 1` };
  const queues = {
    send: createLeasedQueue(db, {
      ...claiming,
      due: (now) =>
        and(
          eq(alertDeliveries.status, 'pending'),
          lte(alertDeliveries.nextAttemptAt, now),
          sql`exists (select 1 from ${alerts} where ${alerts.id} = ${alertDeliveries.alertId} and ${alerts.status} = 'sending')`,
        ),
      // A lease that ran out means a process died holding it: it may have sent already.
      onClaim: { ...countAttempt, reclaimed: sql`${alertDeliveries.reclaimed} or (${alertDeliveries.leaseUntil} is not null and ${alertDeliveries.status} = 'pending')` },
    }),
    correct: createLeasedQueue(db, {
      ...claiming,
      due: (now) => and(eq(alertDeliveries.correction, 'pending'), lte(alertDeliveries.nextAttemptAt, now)),
      onClaim: countAttempt,
    }),
  };

  async function textsOf(alertId: number) {
    let t = textCache.get(alertId);
    if (!t) {
      const [a] = await db.select({ texts: alerts.texts, correction: alerts.correctionTexts }).from(alerts).where(eq(alerts.id, alertId));
      t = { texts: a?.texts ?? {}, correction: a?.correction ?? null };
      textCache.set(alertId, t);
    }
    return t;
  }

  function correctedText(d: Delivery, correction: Record<string, string>) {
    const lng = isLanguage(d.language) ? d.language : 'ru';
    const body = correction[d.language] ?? correction.ru ?? '';
    return `${o.translator.forLanguage(lng)('alerts.corrected')}\n\n${body}`;
  }

  async function sendOne(d: Delivery, kind: 'send' | 'correct', timeoutMs: number): Promise<void> {
    const { texts, correction } = await textsOf(d.alertId);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      if (kind === 'send') {
        const text = correction ? correctedText(d, correction) : (texts[d.language] ?? texts.ru ?? '');
        const msg = await api.sendMessage(d.chatId, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }, signal as never);
        // Recorded in bulk (see flushSent): one statement per batch instead of one per message.
        sentBuffer.push({ id: d.id, messageId: msg.message_id, at: clock().toISOString(), corrected: correction !== null });
        if (sentBuffer.length >= 100) await flushSent();
      } else {
        if (!correction || !d.messageId) throw new Error('nothing to correct');
        await api.editMessageText(d.chatId, d.messageId, correctedText(d, correction), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }, signal as never);
        await db.update(alertDeliveries).set({ correction: 'sent', leaseUntil: null }).where(eq(alertDeliveries.id, d.id));
      }
    } catch (err) {
      const failure = classifyTelegramError(err, signal.aborted ? { afterMs: timeoutMs } : undefined);
      const decision = afterFailure(failure, d.attempts, RETRY, clock());
      const { status, ...set }: Partial<Delivery> = columnsAfterFailure(decision, d.attempts);
      // A correction that cannot be made leaves the delivery itself as it was (sent).
      if (status) Object.assign(set, kind === 'send' ? { status } : { correction: 'failed' });
      // Cut off without an answer: Telegram may have delivered it, so a retry is a possible duplicate.
      if (failure.kind === 'transient' && failure.timedOut && kind === 'send') set.reclaimed = true;
      if (failure.kind === 'rate-limited') await pacer.pause(failure.retryAfterMs);
      if (decision.outcome === 'blocked') await o.onBlocked(d.chatId);
      await db.update(alertDeliveries).set(set).where(eq(alertDeliveries.id, d.id));
    }
  }

  /**
   * Starts a send and waits until there is room for the next one. A send that has
   * not answered in `sendWaitMs` stops counting against the concurrency (it goes on,
   * bounded by the hard timeout), so a few hanging calls do not hold up the rest.
   */
  async function launch(d: Delivery, kind: 'send' | 'correct', timeoutMs: number) {
    const p = sendOne(d, kind, timeoutMs).catch((err) => logger.error({ deliveryId: d.id, error: errorFacts(err) }, 'delivery update failed'));
    pending.add(p);
    void p.finally(() => pending.delete(p));
    let timer: NodeJS.Timeout | undefined;
    const slot = Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, sendWaitMs).unref()))]).finally(() => clearTimeout(timer));
    waited.add(slot);
    void slot.finally(() => waited.delete(slot));
    while (waited.size >= concurrency) await Promise.race(waited);
  }

  /** Claims and sends one batch; returns how many deliveries it claimed. */
  async function runBatch(kind: 'send' | 'correct', stopping: () => boolean): Promise<number> {
    // Texts are read afresh for each batch: a correction made while a long alert is
    // still going out must reach the copies sent from now on and the edits it queued.
    textCache.clear();
    const claimed = await queues[kind].claim(clock());
    const claimedAt = performance.now();
    for (const [i, d] of claimed.entries()) {
      await pacer.take(claimed.length - i);
      // A send must end before the claim's lease does (or another process may take
      // it over while it is going): waiting for the rate (after a 429, or behind
      // other processes) eats into that time.
      const timeoutMs = Math.floor(hardTimeoutMs - (performance.now() - claimedAt));
      if (stopping() || timeoutMs < hardTimeoutMs / 2) {
        // Give back what was claimed and not sent: kept, it would be taken over as
        // "possibly sent" once the lease ran out.
        await queues[kind].release(
          claimed.slice(i).map((x) => x.id),
          { attempts: sql`${alertDeliveries.attempts} - 1` },
        );
        break;
      }
      await launch(d, kind, timeoutMs);
    }
    // Sends still going on carry over into the next batch (waiting for them here
    // would stall the rate on every slow call); the run waits for them at its end.
    await flushSent();
    return claimed.length;
  }

  /** `runOnce()` sends everything due now; `start()` looks again every second; `stop()` gives back unsent claims and waits for the sends in flight. */
  return createJobWorker({
    name: 'broadcasts',
    logger,
    intervalMs: 1_000,
    // Scheduled alerts whose time has come start first.
    beforeRun: () => o.alertsService.startDue(),
    async runBatch(stopping) {
      const n = (await runBatch('send', stopping)) + (await runBatch('correct', stopping));
      return { claimed: n, handled: n };
    },
    async afterRun() {
      while (pending.size) await Promise.all(pending);
      await flushSent();
      await o.alertsService.finishDone();
    },
  });
}

export type BroadcastSender = ReturnType<typeof createBroadcastSender>;
