/** Records every admin-API read and write of a case: who, what, when. */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { auditLog } from '../db/schema/index.js';

export type AuditRow = typeof auditLog.$inferSelect;

/**
 * A reader's repeated views within this window are one entry: the console
 * refreshes the queue and an open case every 5 seconds, which would otherwise write
 * about 700 entries an hour per open tab and bury every other action.
 */
export const READ_AUDIT_WINDOW_MS = 10 * 60_000;

export function createAuditLog({ db, clock }: { db: Database; clock: () => Date }) {
  /** `${staffId}:${action}:${caseId}` → when that read was last recorded. */
  const lastRead = new Map<string, number>();

  async function record(staffId: number | null, action: string, caseId: number | null, details: Record<string, unknown> = {}) {
    await db.insert(auditLog).values({ staffId, action, caseId, details, at: clock() });
  }

  return {
    record,

    /** Records a read (`case.read`, `case.list`) at most once per reader, action and case per window. */
    async recordRead(staffId: number, action: string, caseId: number | null, details: Record<string, unknown> = {}) {
      const now = clock().getTime();
      const key = `${staffId}:${action}:${caseId}`;
      const last = lastRead.get(key);
      if (last !== undefined && now - last < READ_AUDIT_WINDOW_MS && now >= last) return;
      if (lastRead.size >= 10_000) {
        for (const [k, at] of lastRead) if (now - at >= READ_AUDIT_WINDOW_MS) lastRead.delete(k);
      }
      await record(staffId, action, caseId, details);
      lastRead.set(key, now);
    },
    async list(filter: { caseId?: number; before?: number; limit: number }): Promise<AuditRow[]> {
      const where: SQL[] = [];
      if (filter.caseId !== undefined) where.push(eq(auditLog.caseId, filter.caseId));
      if (filter.before !== undefined) where.push(lt(auditLog.id, filter.before));
      return db
        .select()
        .from(auditLog)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(filter.limit);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
