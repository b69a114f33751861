/** Records every admin-API read and write of a case: who, what, when. */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { auditLog } from '../db/schema/index.js';

export type AuditRow = typeof auditLog.$inferSelect;

export function createAuditLog({ db, clock }: { db: Database; clock: () => Date }) {
  return {
    async record(staffId: number | null, action: string, caseId: number | null, details: Record<string, unknown> = {}) {
      await db.insert(auditLog).values({ staffId, action, caseId, details, at: clock() });
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
