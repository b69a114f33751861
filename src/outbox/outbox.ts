/**
 * The durable sender. Messages are written to the outbox (in the same transaction
 * as what caused them) and delivered from there: claimed in batches with
 * FOR UPDATE SKIP LOCKED and a lease, so several processes share the work and a
 * crashed process's claims are picked up when the lease runs out. 429 waits for
 * `retry_after`, 5xx and network errors back off, 403 marks the chat blocked, and
 * every final state is recorded: nothing is lost silently.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Api, GrammyError, HttpError } from 'grammy';
import type { Database } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import { createPeriodicTask } from '../lib/periodic-task.js';
import type { Logger } from '../logger.js';

export type OutboxRow = typeof outbox.$inferSelect;

/** How long a claim is held before another process may take it over. */
export const LEASE_MS = 60_000;
/** Attempts before a delivery is marked failed (still visible, and retryable by hand). */
export const MAX_ATTEMPTS = 12;
/** Backoff for 5xx and network errors: 2 s, 4 s, 8 s … capped at 10 minutes. */
const backoffMs = (attempt: number) => Math.min(2_000 * 2 ** (attempt - 1), 600_000);
const BATCH = 20;

export interface OutboxMessage {
  chatId: number | string;
  kind: string;
  method?: string;
  payload: Record<string, unknown>;
  caseMessageId?: number;
  /** The case a notice to the lawyers' chat is about. */
  caseId?: number;
}

type Tx = Pick<Database, 'insert'>;

/** Adds messages to the outbox; pass a transaction to make them atomic with their cause. */
export async function enqueue(tx: Tx, messages: OutboxMessage[], now: Date): Promise<void> {
  if (!messages.length) return;
  await tx.insert(outbox).values(
    messages.map((m) => ({
      chatId: String(m.chatId),
      kind: m.kind,
      method: m.method ?? 'sendMessage',
      payload: m.payload,
      caseMessageId: m.caseMessageId,
      caseId: m.caseId,
      createdAt: now,
      nextAttemptAt: now,
    })),
  );
}

export interface OutboxSenderDeps {
  db: Database;
  api: Api;
  clock: () => Date;
  logger: Logger;
  /** Called when Telegram says a user blocked the bot. */
  onBlocked?: (chatId: string) => Promise<void>;
}

export function createOutboxSender({ db, api, clock, logger, onBlocked }: OutboxSenderDeps) {

  async function claim(): Promise<OutboxRow[]> {
    const now = clock();
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.status, 'pending'),
          sql`${outbox.nextAttemptAt} <= ${now.toISOString()}`,
          sql`(${outbox.leaseUntil} is null or ${outbox.leaseUntil} < ${now.toISOString()})`,
        ),
      )
      .orderBy(outbox.id)
      .limit(BATCH)
      .for('update', { skipLocked: true });
    return db
      .update(outbox)
      .set({ leaseUntil, attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, due))
      .returning();
  }

  async function deliver(row: OutboxRow): Promise<void> {
    const now = clock();
    try {
      const call = (api.raw as unknown as Record<string, (p: unknown) => Promise<{ message_id?: number }>>)[row.method];
      if (!call) throw new Error(`unknown method ${row.method}`);
      const result = await call({ chat_id: row.chatId, ...row.payload });
      const [after] = await db
        .update(outbox)
        .set({ status: 'sent', sentAt: now, leaseUntil: null, lastError: null, telegramMessageId: result?.message_id ?? null })
        .where(eq(outbox.id, row.id))
        .returning({ payload: outbox.payload });
      // The text was changed while it was being sent (/forget erased it): edit what went out.
      if (row.method === 'sendMessage' && result?.message_id && after && after.payload.text !== row.payload.text) {
        await enqueue(db, [{ chatId: row.chatId, kind: `${row.kind}-erased`, method: 'editMessageText', caseId: row.caseId ?? undefined, payload: { ...after.payload, message_id: result.message_id } }], clock());
      }
    } catch (err) {
      const set: Partial<OutboxRow> = { leaseUntil: null };
      if (err instanceof GrammyError && err.error_code === 403) {
        Object.assign(set, { status: 'blocked', lastError: err.description });
        await onBlocked?.(row.chatId);
      } else if (err instanceof GrammyError && err.error_code === 429) {
        const wait = (err.parameters.retry_after ?? 1) * 1000;
        Object.assign(set, { lastError: err.description, nextAttemptAt: new Date(now.getTime() + wait), attempts: row.attempts - 1 });
      } else if ((err instanceof GrammyError && err.error_code >= 500) || err instanceof HttpError) {
        const description = err instanceof GrammyError ? err.description : 'network error';
        if (row.attempts >= MAX_ATTEMPTS) Object.assign(set, { status: 'failed', lastError: description });
        else Object.assign(set, { lastError: description, nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)) });
      } else {
        // 400 and our own errors will not get better by retrying.
        Object.assign(set, { status: 'failed', lastError: err instanceof GrammyError ? err.description : (err as Error).name });
      }
      await db.update(outbox).set(set).where(eq(outbox.id, row.id));
      logger.warn({ outboxId: row.id, kind: row.kind, status: set.status ?? 'retry', error: set.lastError }, 'outbox delivery failed');
    }
  }

  /** Delivers everything due now; returns how many rows it handled. */
  async function runOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const rows = await claim();
      if (!rows.length) return handled;
      for (const row of rows) await deliver(row);
      handled += rows.length;
    }
  }

  const task = createPeriodicTask('outbox', runOnce, logger);
  return {
    runOnce,
    /** Delivers now (after a reply), without waiting for the next tick. */
    wake: () => task.wake(),
    /** Polls for due messages (retries, other processes' expired leases). */
    start: (intervalMs = 2_000) => task.start(intervalMs),
    stop: () => task.stop(),
  };
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;
