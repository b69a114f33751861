/**
 * Legislation alerts: drafted by staff in several languages, approved by a second
 * person (a lawyer or an admin, never the author), sent to exactly the users they
 * concern, followed, cancelled, and corrected after the fact. No grammY and no HTTP
 * here; the sender delivers what this service queues.
 */
import { and, desc, eq, gte, type SQL, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/client.js';
import { type AlertAudience, type AlertStatus, alertDeliveries, alerts } from '../db/schema/index.js';
import type { FlowSet } from '../flow-engine/loader.js';
import { LANGUAGES } from '../i18n/languages.js';
import { checkTelegramHtml } from '../lib/telegram-html.js';
import { enqueue } from '../outbox/outbox.js';
import { CaseConflictError, CaseNotFoundError } from '../lawyer-queue/errors.js';
import type { Actor } from '../staff/staff-service.js';

export type AlertRow = typeof alerts.$inferSelect;

/** Room left for the "corrected" mark in a 4096-character message. */
export const MAX_ALERT_TEXT = 3900;

export class AlertValidationError extends Error {
  override readonly name = 'AlertValidationError';
}

/** Checks texts: Russian present (the fallback), known languages, valid Telegram HTML, length. */
export function validateTexts(texts: Record<string, string>): void {
  if (!texts.ru?.trim()) throw new AlertValidationError('texts.ru is required: users whose language has no text get the Russian one');
  for (const [lng, text] of Object.entries(texts)) {
    if (!(LANGUAGES as readonly string[]).includes(lng)) throw new AlertValidationError(`texts.${lng}: unknown language (use ${LANGUAGES.join(', ')})`);
    if (!text.trim()) throw new AlertValidationError(`texts.${lng}: empty`);
    if (text.length > MAX_ALERT_TEXT) throw new AlertValidationError(`texts.${lng}: longer than ${MAX_ALERT_TEXT} characters`);
    const problems = checkTelegramHtml(text);
    if (problems.length) throw new AlertValidationError(`texts.${lng}: ${problems[0]}`);
  }
}

const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
/** Rows of +1/−1 tolerated beyond twice the groups before compacting (a compaction costs about a count over users). */
const COMPACT_SLACK = 500;
/** Values as a parenthesised list of parameters (callers check the list is not empty). */
const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

export function createAlertService({ db, flows, clock }: { db: Database; flows: FlowSet; clock: () => Date }) {
  /**
   * Flows of each topic: walking one subscribes a user to its topic unless they opted
   * out. Read from the flow set each time, so a reloaded flow counts at once.
   */
  const flowsByTopic = () => {
    const map: Record<string, string[]> = {};
    for (const f of flows.list) map[f.topic] = [...(map[f.topic] ?? []), f.id];
    return map;
  };

  /**
   * The SQL condition selecting the users an audience covers, read from `users` alone: each
   * topic's "walked one of its flows" is an array overlap on `users.walked_flows` (kept by a
   * trigger on `flow_results`), not a subquery or a set built from `flow_results` per count; lists
   * are literals, not `jsonb` expansions the planner guesses at 100 rows each (a misestimate
   * that made it JIT-compile a count).
   */
  function audienceWhere(a: AlertAudience, opts: { reachableOnly?: boolean } = {}) {
    // \`audience_counts\` holds reachable users only, and '' for an unknown citizenship (never asked for).
    const base = opts.reachableOnly ? sql`true` : sql`u.consented_at is not null and u.blocked_at is null and not u.alerts_off`;
    if (a.everyone) return base;
    const parts = [base];
    if (a.languages?.length) parts.push(sql`u.language in (${list(a.languages)})`);
    if (a.citizenships?.length) parts.push(sql`u.citizenship in (${list(a.citizenships)})`);
    if (a.topics?.length) {
      const byTopic = flowsByTopic();
      const perTopic = a.topics.map((topic) => {
        // An explicit choice wins; unset, "general" reaches everyone and a topic those who walked its flows.
        // Written as ORs of indexable tests (`@>` on users_topics_idx, `&&` on users_walked_flows_idx)
        // so a narrow audience is a bitmap of index entries; the same as
        // coalesce((topics ->> topic)::boolean, walked) for the booleans the bot writes.
        const on = sql`u.topics @> ${JSON.stringify({ [topic]: true })}::jsonb`;
        const unset = sql`not (u.topics ? ${topic})`;
        const flowIds = byTopic[topic] ?? [];
        if (topic === 'general') return sql`(${on} or ${unset})`;
        if (!flowIds.length) return on;
        return sql`(${on} or (u.walked_flows && array[${list(flowIds)}]::text[] and ${unset}))`;
      });
      parts.push(sql`(${sql.join(perTopic, sql` or `)})`);
    }
    return sql.join(parts, sql` and `);
  }

  /** Groups left after this process's last compaction: more than twice that many rows (and some slack) compacts again. */
  let compacted = 0;
  let compacting: Promise<void> | undefined;
  /**
   * Folds the +1/−1 rows into one row per group, in one statement: rows the trigger adds
   * meanwhile are not in the statement's snapshot and stay for the next time; two processes
   * compacting at once each fold different rows (a row is deleted once).
   */
  function compact(): Promise<void> {
    compacting ??= (async () => {
      try {
        const result = await db.execute<{ groups: number }>(sql`
          with gone as (delete from audience_counts returning *),
          folded as (insert into audience_counts (language, citizenship, topics, walked_flows, users)
            select language, citizenship, topics, walked_flows, sum(users)::int from gone group by 1, 2, 3, 4 having sum(users) <> 0
            returning 1)
          select count(*)::int as groups, (select count(*) from gone)::int as folded from folded`);
        const row = rowsOf<{ groups: number; folded: number }>(result)[0];
        compacted = Number(row?.groups ?? 0);
        // The folded rows are dead until vacuumed, and a count reads past them: 170,000 of them
        // (100,000 users just added) made a count 27 ms instead of 1. VACUUM does not block writers.
        if (Number(row?.folded ?? 0) > 10 * COMPACT_SLACK) await db.execute(sql`vacuum audience_counts`);
      } finally {
        compacting = undefined;
      }
    })();
    return compacting;
  }

  async function mustFind(id: number): Promise<AlertRow> {
    const [row] = await db.select().from(alerts).where(eq(alerts.id, id)).limit(1);
    if (!row) throw new CaseNotFoundError(id);
    return row;
  }

  function expectStatus(a: AlertRow, allowed: AlertStatus[], what: string) {
    if (!allowed.includes(a.status)) throw new CaseConflictError(`alert ${a.id} is ${a.status}; cannot ${what}`);
  }

  /** Creates the per-recipient deliveries and starts sending. */
  async function start(a: AlertRow): Promise<void> {
    const now = clock();
    const langs = Object.keys(a.texts);
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into alert_deliveries (alert_id, user_id, chat_id, language, fallback, next_attempt_at)
        select ${a.id}, u.id, u.id,
          case when u.language in (select jsonb_array_elements_text(${json(langs)})) then u.language else 'ru' end,
          u.language not in (select jsonb_array_elements_text(${json(langs)})),
          ${now.toISOString()}::timestamptz
        from users u where ${audienceWhere(a.audience)}`);
      await tx.update(alerts).set({ status: 'sending', startedAt: now, updatedAt: now }).where(eq(alerts.id, a.id));
    });
  }

  return {
    /** Folds the audience counts' +1/−1 rows (the periodic sweep; a count also folds when they pile up). */
    foldAudienceCounts: () => compact(),

    /** How many users an audience reaches now, and how many of them get the Russian fallback. */
    async audienceSize(audience: AlertAudience, languages: string[]): Promise<{ recipients: number; fallback: number }> {
      // Summed over groups of users (schema/audience-counts.ts), not counted over users: the same
      // condition, since a group's columns are its users' and only reachable users are counted.
      const result = await db.execute<{ recipients: number; fallback: number; rows: number }>(sql`
        select coalesce(sum(u.users), 0)::int as recipients,
          coalesce(sum(u.users) filter (where u.language not in (${languages.length ? list(languages) : sql`''`})), 0)::int as fallback,
          count(*)::int as rows
        from audience_counts u where ${audienceWhere(audience, { reachableOnly: true })}`);
      const row = rowsOf<{ recipients: number; fallback: number; rows: number }>(result)[0] ?? { recipients: 0, fallback: 0, rows: 0 };
      if (Number(row.rows) > 2 * compacted + COMPACT_SLACK) await compact();
      return { recipients: Number(row.recipients), fallback: Number(row.fallback) };
    },

    async create(actor: Actor, input: { texts: Record<string, string>; audience: AlertAudience; startAt?: Date }): Promise<AlertRow> {
      validateTexts(input.texts);
      const now = clock();
      const [row] = await db
        .insert(alerts)
        .values({ texts: input.texts, audience: input.audience, startAt: input.startAt ?? null, createdBy: actor.id, createdAt: now, updatedAt: now })
        .returning();
      return row!;
    },

    /** Editing sends a draft or approved alert back to draft: it must be approved again. */
    async update(id: number, patch: { texts?: Record<string, string>; audience?: AlertAudience; startAt?: Date | null }): Promise<AlertRow> {
      const a = await mustFind(id);
      expectStatus(a, ['draft', 'approved'], 'edit it');
      if (patch.texts) validateTexts(patch.texts);
      const [row] = await db
        .update(alerts)
        .set({ ...patch, status: 'draft', approvedBy: null, approvedAt: null, updatedAt: clock() })
        .where(eq(alerts.id, id))
        .returning();
      return row!;
    },

    /** Four eyes: a lawyer or admin other than the author approves. */
    async approve(actor: Actor, id: number): Promise<AlertRow> {
      const a = await mustFind(id);
      expectStatus(a, ['draft'], 'approve it');
      if (a.createdBy === actor.id) throw new CaseConflictError('the author cannot approve their own alert: ask a lawyer or an admin');
      const [row] = await db
        .update(alerts)
        .set({ status: 'approved', approvedBy: actor.id, approvedAt: clock(), updatedAt: clock() })
        .where(and(eq(alerts.id, id), eq(alerts.status, 'draft')))
        .returning();
      if (!row) throw new CaseConflictError(`alert ${id} changed meanwhile`);
      return row;
    },

    /** Queues every language version to a staff member's own chat; returns how many messages. */
    async preview(id: number, chatId: string): Promise<number> {
      const a = await mustFind(id);
      const versions = Object.entries(a.texts);
      await enqueue(
        db,
        versions.map(([lng, text]) => ({ chatId, kind: 'alert-preview', payload: { text: `[${lng}]\n${text}`, parse_mode: 'HTML' } })),
        clock(),
      );
      return versions.length;
    },

    /** Sends now, or schedules for `startAt`. Only approved alerts can be sent. */
    async send(id: number): Promise<AlertRow> {
      const a = await mustFind(id);
      expectStatus(a, ['approved'], 'send it (it must be approved first)');
      if (a.startAt && a.startAt > clock()) {
        const [row] = await db.update(alerts).set({ status: 'scheduled', updatedAt: clock() }).where(eq(alerts.id, id)).returning();
        return row!;
      }
      await start(a);
      return mustFind(id);
    },

    /** Starts scheduled alerts whose time has come. */
    async startDue(): Promise<number> {
      const due = await db
        .select()
        .from(alerts)
        .where(and(eq(alerts.status, 'scheduled'), sql`${alerts.startAt} <= ${clock().toISOString()}::timestamptz`));
      for (const a of due) await start(a);
      return due.length;
    },

    async cancel(id: number): Promise<AlertRow> {
      const a = await mustFind(id);
      expectStatus(a, ['draft', 'approved', 'scheduled', 'sending'], 'cancel it');
      const now = clock();
      return db.transaction(async (tx) => {
        await tx
          .update(alertDeliveries)
          .set({ status: 'cancelled', leaseUntil: null })
          .where(and(eq(alertDeliveries.alertId, id), eq(alertDeliveries.status, 'pending')));
        const [row] = await tx.update(alerts).set({ status: 'cancelled', cancelledAt: now, updatedAt: now }).where(eq(alerts.id, id)).returning();
        return row!;
      });
    },

    /** Edits every delivered copy with the corrected text and a visible "corrected" mark. */
    async correct(id: number, texts: Record<string, string>): Promise<AlertRow> {
      const a = await mustFind(id);
      expectStatus(a, ['sending', 'done', 'cancelled'], 'correct it (nothing was sent yet: edit it instead)');
      validateTexts(texts);
      const now = clock();
      return db.transaction(async (tx) => {
        await tx
          .update(alertDeliveries)
          .set({ correction: 'pending', nextAttemptAt: now })
          .where(and(eq(alertDeliveries.alertId, id), eq(alertDeliveries.status, 'sent')));
        // Copies still pending will go out with the corrected text.
        const [row] = await tx.update(alerts).set({ correctionTexts: texts, correctedAt: now, updatedAt: now }).where(eq(alerts.id, id)).returning();
        return row!;
      });
    },

    async list(): Promise<AlertRow[]> {
      return db.select().from(alerts).orderBy(desc(alerts.id)).limit(100);
    },

    async get(id: number) {
      const a = await mustFind(id);
      const since = new Date(clock().getTime() - 60_000);
      const where = (condition: SQL) => sql<number>`count(*) filter (where ${condition})::int`;
      // One pass over the alert's deliveries: the console asks every 2 s while it sends.
      const [c] = await db
        .select({
          pending: where(eq(alertDeliveries.status, 'pending')),
          sent: where(eq(alertDeliveries.status, 'sent')),
          blocked: where(eq(alertDeliveries.status, 'blocked')),
          failed: where(eq(alertDeliveries.status, 'failed')),
          cancelled: where(eq(alertDeliveries.status, 'cancelled')),
          fallback: where(eq(alertDeliveries.fallback, true)),
          reclaimed: where(eq(alertDeliveries.reclaimed, true)),
          corrected: where(eq(alertDeliveries.correction, 'sent')),
          correctionPending: where(eq(alertDeliveries.correction, 'pending')),
          lastMinute: where(gte(alertDeliveries.sentAt, since)),
        })
        .from(alertDeliveries)
        .where(eq(alertDeliveries.alertId, id));
      const n = (v: number | undefined) => Number(v ?? 0);
      const counts = { pending: n(c?.pending), sent: n(c?.sent), blocked: n(c?.blocked), failed: n(c?.failed), cancelled: n(c?.cancelled) };
      const rate = n(c?.lastMinute) / 60;
      const total = Object.values(counts).reduce((x, y) => x + y, 0);
      return {
        alert: a,
        progress: {
          total,
          ...counts,
          fallback: n(c?.fallback),
          possibleDuplicates: n(c?.reclaimed),
          corrected: n(c?.corrected),
          correctionPending: n(c?.correctionPending),
          ratePerSecond: Math.round(rate * 10) / 10,
          etaSeconds: counts.pending && rate > 0 ? Math.ceil(counts.pending / rate) : null,
        },
      };
    },

    /** Who got it: recipients by status (ids only, no texts). */
    async recipients(id: number, status?: string) {
      await mustFind(id);
      return db
        .select({ userId: alertDeliveries.userId, language: alertDeliveries.language, fallback: alertDeliveries.fallback, status: alertDeliveries.status, sentAt: alertDeliveries.sentAt, lastError: alertDeliveries.lastError })
        .from(alertDeliveries)
        .where(status ? and(eq(alertDeliveries.alertId, id), eq(alertDeliveries.status, status as 'sent')) : eq(alertDeliveries.alertId, id))
        .orderBy(alertDeliveries.id)
        .limit(1000);
    },

    /** Marks alerts whose every delivery is final as done. */
    async finishDone(): Promise<void> {
      await db.execute(sql`
        update alerts set status = 'done', finished_at = ${clock().toISOString()}::timestamptz, updated_at = ${clock().toISOString()}::timestamptz
        where status = 'sending' and not exists (
          select 1 from alert_deliveries d where d.alert_id = alerts.id and d.status = 'pending')`);
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
