/**
 * The durable sender. Messages are written to the outbox (in the same transaction
 * as what caused them) and delivered from there through the one job mechanism
 * (src/jobs/): claimed in batches with FOR UPDATE SKIP LOCKED and a lease, so
 * several processes share the work and a crashed process's claims are picked up
 * when the lease runs out. 429 waits for `retry_after`, 5xx and network errors back
 * off, 403 marks the chat blocked, and every final state is recorded: nothing is
 * lost silently.
 */
import { and, eq, lte, sql } from 'drizzle-orm';
import type { Api } from 'grammy';
import type { Database } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import { createJobWorker } from '../jobs/job-worker.js';
import { createLeasedQueue } from '../jobs/leased-queue.js';
import { afterFailure, classifyTelegramError, columnsAfterFailure, type RetryPolicy } from '../jobs/telegram-failure.js';
import type { Logger } from '../logger.js';

export type OutboxRow = typeof outbox.$inferSelect;

/** How long a claim is held before another process may take it over. */
export const LEASE_MS = 60_000;
/** Attempts before a delivery is marked failed (still visible, and retryable by hand). */
export const MAX_ATTEMPTS = 12;
/** Backoff for 5xx and network errors: 2 s, 4 s, 8 s … capped at 10 minutes. */
const RETRY: RetryPolicy = { maxAttempts: MAX_ATTEMPTS, baseMs: 2_000, capMs: 600_000 };
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
  const queue = createLeasedQueue(db, {
    table: outbox,
    due: (now) => and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)),
    orderBy: outbox.id,
    batch: BATCH,
    leaseMs: LEASE_MS,
    onClaim: { attempts: sql`${outbox.attempts} + 1` },
  });

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
      const decision = afterFailure(classifyTelegramError(err), row.attempts, RETRY, now);
      const set = columnsAfterFailure(decision, row.attempts);
      if (decision.outcome === 'blocked') await onBlocked?.(row.chatId);
      await db.update(outbox).set(set).where(eq(outbox.id, row.id));
      logger.warn({ outboxId: row.id, kind: row.kind, status: set.status ?? 'retry', error: set.lastError }, 'outbox delivery failed');
    }
  }

  /** `wake()` delivers now (after a reply) without waiting for the next tick. */
  return createJobWorker({
    name: 'outbox',
    logger,
    intervalMs: 2_000,
    async runBatch() {
      const rows = await queue.claim(clock());
      for (const row of rows) await deliver(row);
      return { claimed: rows.length, handled: rows.length };
    },
  });
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;
