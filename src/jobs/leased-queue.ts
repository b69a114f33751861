/**
 * A table of jobs claimed in batches with `FOR UPDATE SKIP LOCKED` and a lease: the
 * one claiming mechanism of the durable senders (outbox, reminders, alerts). Several
 * processes on one PostgreSQL share the work without waiting for each other (a row
 * another claim holds is skipped, not waited for), and the claims of a process that
 * died are taken over once their lease runs out. The table needs an `id` and a
 * nullable `lease_until`; which rows are due, and what else a claim marks (an
 * attempt, a takeover), is each queue's own.
 */
import { and, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.js';

export type LeasedTable = PgTable & { id: PgColumn; leaseUntil: PgColumn };

export interface LeasedQueueOptions<T extends LeasedTable> {
  table: T;
  /** The rows due now (the lease condition is added here); may refer to other tables through `exists`. */
  due: (now: Date) => SQL | undefined;
  /** Claim order (oldest first, usually). */
  orderBy: PgColumn | SQL;
  /** Rows per claim. */
  batch: number;
  /** How long a claim is held before another process may take it over. */
  leaseMs: number;
  /** More columns a claim sets (an attempt counted, a takeover noted), as SQL over the row before the claim. */
  onClaim?: Record<string, SQL>;
}

export interface LeasedQueue<Row> {
  /** Claims up to a batch of due rows for this process; returns them as they are after the claim. */
  claim(now: Date): Promise<Row[]>;
  /** Gives claimed rows back unhandled (lease cleared), with `set` undoing what the claim counted. */
  release(ids: number[], set?: Record<string, SQL>): Promise<void>;
}

export function createLeasedQueue<T extends LeasedTable>(db: Database, o: LeasedQueueOptions<T>): LeasedQueue<T['$inferSelect']> {
  const t = o.table as LeasedTable;
  // drizzle's builders cannot type a table given as a parameter; the shapes are checked by LeasedTable.
  const update = () => db.update(t) as unknown as { set(v: Record<string, unknown>): { where(w: SQL | undefined): { returning(): Promise<T['$inferSelect'][]> } & PromiseLike<unknown> } };
  return {
    async claim(now) {
      const free = or(isNull(t.leaseUntil), lt(t.leaseUntil, now));
      const due = db
        .select({ id: t.id })
        .from(t)
        .where(and(o.due(now), free))
        .orderBy(o.orderBy)
        .limit(o.batch)
        .for('update', { skipLocked: true });
      return update()
        .set({ leaseUntil: new Date(now.getTime() + o.leaseMs), ...o.onClaim })
        .where(inArray(t.id, due))
        .returning();
    },
    async release(ids, set) {
      if (!ids.length) return;
      await update()
        .set({ leaseUntil: null, ...set })
        .where(inArray(t.id, ids));
    },
  };
}
