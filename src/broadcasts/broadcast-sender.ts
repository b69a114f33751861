/**
 * Delivers alerts at a steady rate. Deliveries are claimed in batches with
 * FOR UPDATE SKIP LOCKED and a lease, so several processes (one machine or many,
 * one PostgreSQL) share the work and a killed process's claims are taken over when
 * the lease runs out. A 429 pauses all sending for `retry_after`; 5xx and network
 * errors back off; 403 marks the user as having blocked the bot, without retrying.
 * Corrections edit delivered copies through the same pacing.
 */
import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { type Api, GrammyError, HttpError } from 'grammy';
import type { Database } from '../db/client.js';
import { alertDeliveries, alerts } from '../db/schema/index.js';
import type { Translator } from '../i18n/i18n.js';
import { isLanguage } from '../i18n/languages.js';
import { createPeriodicTask } from '../lib/periodic-task.js';
import type { Logger } from '../logger.js';
import type { AlertService } from './alert-service.js';
import { errorFacts } from '../lib/error-facts.js';

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
/** Attempts before a delivery is marked failed. */
const MAX_ATTEMPTS = 8;
const backoffMs = (attempt: number) => Math.min(1_000 * 2 ** (attempt - 1), 300_000);

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

/** A token bucket: `take()` resolves when the next send is allowed. */
export function createPacer(rate: number, now: () => number = () => performance.now(), sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))) {
  const interval = 1000 / rate;
  let next = now();
  let pausedUntil = 0;
  return {
    async take() {
      for (;;) {
        const t = now();
        const at = Math.max(next, pausedUntil);
        if (t >= at) {
          // Allow at most one second of burst after an idle period.
          next = Math.max(at, t - 1000) + interval;
          return;
        }
        await sleep(Math.min(at - t, 1000));
      }
    },
    pause(ms: number) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}

export function createBroadcastSender(o: BroadcastSenderOptions) {
  const { db, api, clock, logger } = o;
  const pacer = createPacer(o.rate, undefined, o.sleep);
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
  let stopped = false;

  async function claim(kind: 'send' | 'correct'): Promise<Delivery[]> {
    const now = clock();
    const due = db
      .select({ id: alertDeliveries.id })
      .from(alertDeliveries)
      .innerJoin(alerts, eq(alerts.id, alertDeliveries.alertId))
      .where(
        and(
          kind === 'send' ? and(eq(alertDeliveries.status, 'pending'), eq(alerts.status, 'sending')) : eq(alertDeliveries.correction, 'pending'),
          lte(alertDeliveries.nextAttemptAt, now),
          or(isNull(alertDeliveries.leaseUntil), lt(alertDeliveries.leaseUntil, now)),
        ),
      )
      .orderBy(alertDeliveries.id)
      .limit(batch)
      .for('update', { of: alertDeliveries, skipLocked: true });
    return db
      .update(alertDeliveries)
      .set({
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: sql`${alertDeliveries.attempts} + 1`,
        // A lease that ran out means a process died holding it: it may have sent already.
        reclaimed: sql`${alertDeliveries.reclaimed} or (${alertDeliveries.leaseUntil} is not null and ${alertDeliveries.status} = 'pending')`,
      })
      .where(inArray(alertDeliveries.id, due))
      .returning();
  }

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

  async function sendOne(d: Delivery, kind: 'send' | 'correct'): Promise<void> {
    const { texts, correction } = await textsOf(d.alertId);
    const signal = AbortSignal.timeout(hardTimeoutMs);
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
      const now = clock();
      const set: Partial<Delivery> = { leaseUntil: null };
      const giveUp = (why: string) => (kind === 'send' ? Object.assign(set, { status: 'failed', lastError: why }) : Object.assign(set, { correction: 'failed', lastError: why }));
      if (err instanceof GrammyError && err.error_code === 429) {
        const wait = (err.parameters.retry_after ?? 1) * 1000;
        pacer.pause(wait);
        Object.assign(set, { nextAttemptAt: new Date(now.getTime() + wait), attempts: d.attempts - 1, lastError: err.description });
      } else if (err instanceof GrammyError && err.error_code === 403) {
        if (kind === 'send') Object.assign(set, { status: 'blocked', lastError: err.description });
        else giveUp(err.description);
        await o.onBlocked(d.chatId);
      } else if ((err instanceof GrammyError && err.error_code >= 500) || err instanceof HttpError) {
        const why = signal.aborted ? `no answer in ${hardTimeoutMs / 1000} s (may have been delivered)` : err instanceof GrammyError ? err.description : 'network error';
        // Cut off without an answer: Telegram may have delivered it, so a retry is a possible duplicate.
        if (signal.aborted && kind === 'send') set.reclaimed = true;
        if (d.attempts >= MAX_ATTEMPTS) giveUp(why);
        else Object.assign(set, { nextAttemptAt: new Date(now.getTime() + backoffMs(d.attempts)), lastError: why });
      } else {
        giveUp(err instanceof GrammyError ? err.description : (err as Error).message.slice(0, 200));
      }
      await db.update(alertDeliveries).set(set).where(eq(alertDeliveries.id, d.id));
    }
  }

  /**
   * Starts a send and waits until there is room for the next one. A send that has
   * not answered in `sendWaitMs` stops counting against the concurrency (it goes on,
   * bounded by the hard timeout), so a few hanging calls do not hold up the rest.
   */
  async function launch(d: Delivery, kind: 'send' | 'correct') {
    const p = sendOne(d, kind).catch((err) => logger.error({ deliveryId: d.id, error: errorFacts(err) }, 'delivery update failed'));
    pending.add(p);
    void p.finally(() => pending.delete(p));
    let timer: NodeJS.Timeout | undefined;
    const slot = Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, sendWaitMs).unref()))]).finally(() => clearTimeout(timer));
    waited.add(slot);
    void slot.finally(() => waited.delete(slot));
    while (waited.size >= concurrency) await Promise.race(waited);
  }

  /** Claims and sends one batch; returns how many deliveries it handled. */
  async function runBatch(kind: 'send' | 'correct'): Promise<number> {
    // Texts are read afresh for each batch: a correction made while a long alert is
    // still going out must reach the copies sent from now on and the edits it queued.
    textCache.clear();
    const claimed = await claim(kind);
    for (const [i, d] of claimed.entries()) {
      if (stopped) {
        // Give back what was claimed and not sent: kept, it would be taken over as
        // "possibly sent" once the lease ran out.
        const unsent = claimed.slice(i).map((x) => x.id);
        await db
          .update(alertDeliveries)
          .set({ leaseUntil: null, attempts: sql`${alertDeliveries.attempts} - 1` })
          .where(inArray(alertDeliveries.id, unsent));
        break;
      }
      await pacer.take();
      await launch(d, kind);
    }
    // Sends still going on carry over into the next batch (waiting for them here
    // would stall the rate on every slow call); the run waits for them at its end.
    await flushSent();
    return claimed.length;
  }

  /** Sends everything due now (starting scheduled alerts first); returns how many. */
  async function runOnce(): Promise<number> {
    await o.alertsService.startDue();
    let handled = 0;
    for (;;) {
      const n = (await runBatch('send')) + (await runBatch('correct'));
      handled += n;
      if (!n || stopped) break;
    }
    while (pending.size) await Promise.all(pending);
    await flushSent();
    await o.alertsService.finishDone();
    return handled;
  }

  const task = createPeriodicTask('broadcasts', runOnce, logger);
  return {
    runOnce,
    /** Sends until nothing is due, then looks again every `idleMs`. */
    start(idleMs = 1_000) {
      stopped = false;
      task.start(idleMs);
    },
    /** Stops mid-batch (unsent claims are given back) and waits for the sends in flight. */
    async stop() {
      stopped = true;
      await task.stop();
    },
  };
}

export type BroadcastSender = ReturnType<typeof createBroadcastSender>;
