/**
 * The lawyer queue: cases opened by migrants (from a flow answer, the menu or SOS),
 * their threads, and what lawyers do with them. No grammY and no HTTP here: the bot
 * and the admin API are thin transports over these functions. Every message to a
 * user goes through the outbox in the same transaction as the change that caused it,
 * so a Telegram failure or a restart never loses an answer.
 */
import { and, asc, desc, eq, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import {
  type CasePriority,
  type flowResults,
  alertDeliveries,
  caseMessages,
  caseNotes,
  cases,
  messageTranslations,
  outbox,
  pendingInputs,
  users,
  webMessages,
} from '../db/schema/index.js';
import type { FlowSet } from '../flow-engine/loader.js';
import type { Translator } from '../i18n/i18n.js';
import { isLanguage } from '../i18n/languages.js';
import { type IsoDate, todayIn } from '../lib/iso-date.js';
import { escapeHtml } from '../lib/telegram-html.js';
import { truncateWords } from '../lib/truncate.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.js';
import type { SituationSnapshot } from '../situation/snapshot.js';
import { type CaseRow, createCaseListQuery } from './case-list-query.js';

export { type CaseListFilter, type CaseListRow, type CaseRow, InvalidCursorError } from './case-list-query.js';
import { buildCaseContext, citizenshipOf, nearestDeadline, summariseRu } from './case-summary.js';
import { CaseConflictError, CaseNotFoundError } from './errors.js';
import type { Actor } from '../staff/staff-service.js';
import { assertMayAct, type CaseAction } from './case-access.js';
import { cb } from '../bot/callback-data.js';
import type { TFunction } from 'i18next';

type FlowResult = typeof flowResults.$inferSelect;
export type CaseMessageRow = typeof caseMessages.$inferSelect;

/** Longest message a user or lawyer may put in a thread (Telegram's own limit is 4096). */
export const MAX_THREAD_TEXT = 3500;
/** What replaces personal text once a case is anonymised. */
export const ERASED = '[удалено]';
/** Longest Russian summary sent to the lawyers' chat. */
const MAX_NOTICE = 3000;

export interface CaseServiceDeps {
  db: Database;
  flows: FlowSet;
  translator: Translator;
  clock: () => Date;
  /** The lawyers' Telegram chat for notices of new and urgent cases, if any. */
  lawyersChatId?: string;
  /** The user's situation as a lawyer reads it (facts, deadlines), if the situation model is present. */
  situationOf?: (userId: number) => Promise<SituationSnapshot | undefined>;
  /** The user's nearest saved legal date, if the deadlines feature is present. */
  nearestSavedDate?: (userId: number) => Promise<IsoDate | undefined>;
  /**
   * Called after a change that alters what the bot reads for the user (their open
   * case, a dialogue in progress, the user itself): the user-state cache drops them.
   */
  onUserChanged: (userId: number) => void;
  /**
   * The user's newest flow outcomes, the context a lawyer sees. Read through the
   * flow-run repository, which includes outcomes still being written.
   */
  recentResults: (userId: number, limit: number) => Promise<FlowResult[]>;
  /** Called after a migrant's message is stored (machine translation into Russian starts). */
  onUserMessage?: (messageId: number) => void;
}

/**
 * What goes out with a lawyer's Russian answer: its translation into the user's
 * language (machine-made or corrected by the lawyer), or why there is none.
 */
export type ReplyTranslation = { text: string; edited: boolean; provider: string } | { failed: string; provider: string };

export function createCaseService(deps: CaseServiceDeps) {
  const { db, flows, translator, clock, lawyersChatId, nearestSavedDate, onUserChanged, recentResults, onUserMessage } = deps;
  const tRu = translator.forLanguage('ru');
  const queue = createCaseListQuery(db);
  const tFor = (lng: string) => translator.forLanguage(isLanguage(lng) ? lng : 'ru');

  function lawyersNotice(c: { id: number; priority: CasePriority; summaryRu: string }): OutboxMessage[] {
    if (!lawyersChatId) return [];
    const head = c.priority === 'urgent' ? `🆘 <b>СРОЧНО: обращение #${c.id}</b>` : `🆕 <b>Новое обращение #${c.id}</b>`;
    return [{ chatId: lawyersChatId, kind: 'lawyers-notice', caseId: c.id, payload: { text: `${head}\n\n${escapeHtml(truncateWords(c.summaryRu, MAX_NOTICE))}`, parse_mode: 'HTML' } }];
  }

  /**
   * /forget and the lawyers' chat: a notice not sent yet is dropped; one sent is
   * edited there to say the request was deleted (Telegram lets a bot edit its own
   * messages), and our copy keeps only that text. One being sent right now keeps
   * the new text, and the sender edits the sent message to it (see outbox.ts).
   */
  async function eraseLawyersNotices(tx: Database, caseIds: number[], now: Date) {
    const notices = await tx
      .select({ id: outbox.id, caseId: outbox.caseId, status: outbox.status, leaseUntil: outbox.leaseUntil, chatId: outbox.chatId, messageId: outbox.telegramMessageId })
      .from(outbox)
      .where(and(eq(outbox.kind, 'lawyers-notice'), inArray(outbox.caseId, caseIds)));
    for (const n of notices) {
      const text = `🗑 Обращение #${n.caseId} удалено по просьбе пользователя.`;
      const inFlight = n.status === 'pending' && n.leaseUntil !== null && n.leaseUntil > now;
      if (n.status === 'sent' || inFlight) {
        await tx.update(outbox).set({ payload: { text, parse_mode: 'HTML' } }).where(eq(outbox.id, n.id));
      } else {
        await tx.delete(outbox).where(eq(outbox.id, n.id));
      }
      if (n.status === 'sent' && n.messageId) {
        await enqueue(tx, [{ chatId: n.chatId, kind: 'lawyers-notice-erased', caseId: n.caseId ?? undefined, method: 'editMessageText', payload: { message_id: n.messageId, text, parse_mode: 'HTML' } }], now);
      }
    }
  }

  /** Queues a message to the case's user, in their language now (the case's if they have none). */
  async function enqueueToUser(tx: Database, c: { userId: number; language: string }, message: (t: TFunction) => Omit<OutboxMessage, 'chatId'>, now: Date) {
    const [u] = await tx.select({ language: users.language }).from(users).where(eq(users.id, c.userId)).limit(1);
    await enqueue(tx, [{ chatId: c.userId, ...message(tFor(u?.language ?? c.language)) }], now);
  }

  async function mustFind(id: number, tx: Database = db): Promise<CaseRow> {
    const [row] = await tx.select().from(cases).where(eq(cases.id, id)).limit(1);
    if (!row) throw new CaseNotFoundError(id);
    return row;
  }

  /** The case, locked for this transaction, after the one access rule (case-access.ts). */
  async function lockFor(tx: Database, id: number, actor: Actor, action: CaseAction): Promise<CaseRow> {
    const [row] = await tx.select().from(cases).where(eq(cases.id, id)).for('update').limit(1);
    if (!row) throw new CaseNotFoundError(id);
    assertMayAct(row, actor, action);
    return row;
  }

  const service = {
    /**
     * Opens a case with the user's question and the context of the flows they
     * walked. Urgent cases (SOS) are announced to the lawyers' chat at once.
     */
    async open(input: {
      userId: number;
      language: string;
      question: string;
      fileIds?: string[];
      urgent?: boolean;
      from?: { flowId: string; node: string };
    }): Promise<CaseRow> {
      const now = clock();
      const results = await recentResults(input.userId, 5);
      const context = buildCaseContext(results, input.from, await deps.situationOf?.(input.userId));
      const urgent = input.urgent ?? false;
      // An urgent case from a flow answer (a risk of being sent back) keeps that flow's topic;
      // an urgent case without one is SOS (detention, documents taken).
      const topic = urgent && (!input.from || input.from.flowId === 'sos') ? 'detention' : ((input.from && flows.get(input.from.flowId)?.topic) ?? (results[0] && flows.get(results[0].flowId)?.topic) ?? 'general');
      const summaryRu = summariseRu({ language: input.language, urgent, question: input.question, context }, flows, tRu);
      const fromFlows = nearestDeadline(context, todayIn(now));
      const saved = await nearestSavedDate?.(input.userId);
      const deadline = [fromFlows, saved].filter((d): d is string => Boolean(d) && d! >= todayIn(now)).sort()[0] ?? fromFlows ?? null;
      const opened = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(cases)
          .values({
            userId: input.userId,
            language: input.language,
            topic,
            priority: urgent ? 'urgent' : 'normal',
            citizenship: citizenshipOf(context) ?? null,
            context,
            summaryRu,
            nearestDeadline: deadline,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        const [m] = await tx
          .insert(caseMessages)
          .values({ caseId: row!.id, author: 'user', text: input.question.slice(0, MAX_THREAD_TEXT), fileIds: input.fileIds ?? [], createdAt: now })
          .returning({ id: caseMessages.id });
        await enqueue(tx, lawyersNotice(row!), now);
        return { row: row!, messageId: m!.id };
      });
      onUserChanged(input.userId);
      onUserMessage?.(opened.messageId);
      return opened.row;
    },

    /**
     * Rebuilds an open case's context and Russian summary from the user's flows and
     * situation now: an SOS case is opened before the user says when they were brought
     * in, and the lawyer must see the computed end of the hold. An urgent case is
     * announced again with the new summary. Returns false when the case is not open.
     */
    async refreshSummary(userId: number, caseId: number): Promise<boolean> {
      const now = clock();
      const [row] = await db.select().from(cases).where(and(eq(cases.id, caseId), eq(cases.userId, userId))).limit(1);
      if (!row || row.status === 'closed' || row.status === 'withdrawn' || row.anonymisedAt) return false;
      const [first] = await db.select({ text: caseMessages.text }).from(caseMessages).where(eq(caseMessages.caseId, caseId)).orderBy(asc(caseMessages.id)).limit(1);
      const context = buildCaseContext(await recentResults(userId, 5), undefined, await deps.situationOf?.(userId));
      const urgent = row.priority === 'urgent';
      const summaryRu = summariseRu({ language: row.language, urgent, question: first?.text ?? '', context }, flows, tRu);
      if (summaryRu === row.summaryRu) return true;
      await db.transaction(async (tx) => {
        await tx.update(cases).set({ context, summaryRu, updatedAt: now }).where(eq(cases.id, caseId));
        if (urgent) await enqueue(tx, lawyersNotice({ id: caseId, priority: row.priority, summaryRu: `Обновлено.\n${summaryRu}` }), now);
      });
      return true;
    },

    /** The user's cases, newest first. */
    async listForUser(userId: number): Promise<CaseRow[]> {
      return db.select().from(cases).where(eq(cases.userId, userId)).orderBy(desc(cases.id)).limit(20);
    },


    /** Adds what the user wrote to their case's thread. */
    async addUserMessage(userId: number, caseId: number, text: string, fileIds: string[] = []): Promise<CaseMessageRow> {
      const now = clock();
      const added = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(cases).where(and(eq(cases.id, caseId), eq(cases.userId, userId))).limit(1);
        if (!c) throw new CaseNotFoundError(caseId);
        if (c.status === 'withdrawn') throw new CaseConflictError(`case ${caseId} was withdrawn`);
        const [m] = await tx.insert(caseMessages).values({ caseId, author: 'user', text: text.slice(0, MAX_THREAD_TEXT), fileIds, createdAt: now }).returning();
        await tx.update(cases).set({ unread: true, updatedAt: now }).where(eq(cases.id, caseId));
        return m!;
      });
      onUserMessage?.(added.id);
      return added;
    },

    async withdraw(userId: number, caseId: number): Promise<boolean> {
      const rows = await db
        .update(cases)
        .set({ status: 'withdrawn', closedAt: clock(), updatedAt: clock() })
        .where(and(eq(cases.id, caseId), eq(cases.userId, userId), inArray(cases.status, ['open', 'claimed'])))
        .returning({ id: cases.id });
      onUserChanged(userId);
      return rows.length > 0;
    },

    /** A 1–5 rating of a closed case, by its user only. */
    async rate(userId: number, caseId: number, rating: number): Promise<boolean> {
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) return false;
      const rows = await db
        .update(cases)
        .set({ rating, updatedAt: clock() })
        .where(and(eq(cases.id, caseId), eq(cases.userId, userId), eq(cases.status, 'closed')))
        .returning({ id: cases.id });
      return rows.length > 0;
    },

    async comment(userId: number, caseId: number, text: string): Promise<boolean> {
      const rows = await db
        .update(cases)
        .set({ ratingComment: text.slice(0, 1000), updatedAt: clock() })
        .where(and(eq(cases.id, caseId), eq(cases.userId, userId), eq(cases.status, 'closed')))
        .returning({ id: cases.id });
      return rows.length > 0;
    },

    /**
     * /forget: withdraws the user's open cases and erases the personal parts of all
     * of them (the anonymised records stay for statistics), then deletes the user.
     */
    async forgetUser(userId: number): Promise<boolean> {
      const now = clock();
      const forgotten = await db.transaction(async (tx) => {
        const mine = await tx.select({ id: cases.id }).from(cases).where(eq(cases.userId, userId));
        const ids = mine.map((c) => c.id);
        if (ids.length) {
          await tx
            .update(cases)
            .set({ status: sql`case when ${cases.status} in ('open','claimed') then 'withdrawn' else ${cases.status} end`, closedAt: sql`coalesce(${cases.closedAt}, ${now.toISOString()}::timestamptz)` })
            .where(inArray(cases.id, ids));
          await anonymise(tx as unknown as Database, ids, now);
          await eraseLawyersNotices(tx as unknown as Database, ids, now);
        }
        // Messages to the user, sent or not (a lawyer's answer is personal data too).
        await tx.delete(outbox).where(eq(outbox.chatId, String(userId)));
        // A web visitor's conversation (issue 19): the chat itself, as Telegram would clear it.
        await tx.delete(webMessages).where(eq(webMessages.chatId, userId));
        // Alert statistics stay; who received them does not.
        await tx.update(alertDeliveries).set({ userId: null, chatId: 0, lastError: null }).where(eq(alertDeliveries.chatId, userId));
        const deleted = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
        return deleted.length > 0;
      });
      onUserChanged(userId);
      return forgotten;
    },

    /** Anonymises cases closed more than `days` ago. Returns how many. */
    async anonymiseExpired(days: number): Promise<number> {
      const now = clock();
      const before = new Date(now.getTime() - days * 86_400_000);
      const due = await db
        .select({ id: cases.id, userId: cases.userId })
        .from(cases)
        .where(and(isNull(cases.anonymisedAt), inArray(cases.status, ['closed', 'withdrawn']), lt(cases.closedAt, before)));
      // Delivered messages older than the retention period (texts, chat ids) go too.
      await db.delete(outbox).where(and(inArray(outbox.status, ['sent', 'blocked', 'failed']), lt(outbox.createdAt, before)));
      if (!due.length) return 0;
      await db.transaction((tx) => anonymise(tx as unknown as Database, due.map((d) => d.id), now));
      for (const d of due) if (d.userId) onUserChanged(d.userId);
      return due.length;
    },

    // ---- lawyers (admin API) -------------------------------------------------

    /** The queue, urgent first, then the nearest legal deadline, then the oldest (see case-list-query.ts). */
    queue,

    async get(id: number, reader?: Actor) {
      const c = await mustFind(id);
      const messages = await db
        .select({ message: caseMessages, delivery: { status: outbox.status, attempts: outbox.attempts, lastError: outbox.lastError, sentAt: outbox.sentAt } })
        .from(caseMessages)
        .leftJoin(outbox, eq(outbox.caseMessageId, caseMessages.id))
        .where(eq(caseMessages.caseId, id))
        .orderBy(asc(caseMessages.id));
      const notes = await db.select().from(caseNotes).where(eq(caseNotes.caseId, id)).orderBy(asc(caseNotes.id));
      if (reader && c.assigneeId === reader.id && c.unread) await db.update(cases).set({ unread: false }).where(eq(cases.id, id));
      const earlier = c.userId
        ? await db
            .select({ id: cases.id, status: cases.status, topic: cases.topic, createdAt: cases.createdAt })
            .from(cases)
            .where(and(eq(cases.userId, c.userId), ne(cases.id, id)))
            .orderBy(desc(cases.id))
            .limit(20)
        : [];
      return { case: c, messages, notes, earlier };
    },

    /** Takes a case. A case another lawyer holds answers with a conflict (an admin takes it over). */
    async claim(id: number, actor: Actor): Promise<CaseRow> {
      return db.transaction(async (tx) => {
        const c = await lockFor(tx as unknown as Database, id, actor, 'claim');
        if (c.status !== 'open' && c.status !== 'claimed') throw new CaseConflictError(`case ${id} is ${c.status}`);
        const [row] = await tx.update(cases).set({ assigneeId: actor.id, status: 'claimed', updatedAt: clock() }).where(eq(cases.id, id)).returning();
        return row!;
      });
    },

    async release(id: number, actor: Actor): Promise<CaseRow> {
      return db.transaction(async (tx) => {
        const c = await lockFor(tx as unknown as Database, id, actor, 'release');
        if (c.status !== 'claimed') throw new CaseConflictError(`case ${id} is ${c.status}, not claimed`);
        const [row] = await tx.update(cases).set({ assigneeId: null, status: 'open', updatedAt: clock() }).where(eq(cases.id, id)).returning();
        return row!;
      });
    },

    /**
     * A lawyer's answer: stored in the thread and queued for delivery to the user's
     * chat in one transaction. An unclaimed case is claimed by the one who answers.
     * With a translation, the user gets it and the Russian original below it (to
     * show an official); without one (failed, off), the Russian text and a note why.
     */
    async reply(id: number, actor: Actor, text: string, translation?: ReplyTranslation): Promise<CaseMessageRow> {
      const now = clock();
      return db.transaction(async (tx) => {
        const c = await lockFor(tx as unknown as Database, id, actor, 'reply');
        if (c.status === 'closed' || c.status === 'withdrawn') throw new CaseConflictError(`case ${id} is ${c.status}; reopen it first`);
        if (!c.userId) throw new CaseConflictError(`case ${id} is anonymised; the user cannot be reached`);
        const [m] = await tx.insert(caseMessages).values({ caseId: id, author: 'lawyer', staffId: actor.id, text, createdAt: now }).returning();
        await tx
          .update(cases)
          .set({ assigneeId: c.assigneeId ?? actor.id, status: 'claimed', firstResponseAt: c.firstResponseAt ?? now, updatedAt: now })
          .where(eq(cases.id, id));
        const [u] = await tx.select({ language: users.language }).from(users).where(eq(users.id, c.userId)).limit(1);
        const language = u?.language ?? c.language;
        if (translation) {
          const done = 'text' in translation;
          await tx.insert(messageTranslations).values({
            messageId: m!.id,
            language,
            text: done ? translation.text : null,
            status: done ? (translation.edited ? 'edited' : 'machine') : 'failed',
            provider: translation.provider,
            error: done ? null : translation.failed,
            createdAt: now,
          });
        }
        const t = tFor(language);
        const body =
          translation && 'text' in translation
            ? `${escapeHtml(translation.text)}\n\n<i>${t('lawyer-translation.original')}</i>\n${escapeHtml(text)}`
            : language === 'ru'
              ? escapeHtml(text)
              : `${escapeHtml(text)}\n\n<i>${t('lawyer-translation.russian-only')}</i>`;
        await enqueue(
          tx,
          [
            {
              chatId: c.userId,
              kind: 'lawyer-reply',
              caseMessageId: m!.id,
              payload: {
                text: `${t('cases.answer-header', { id })}\n\n${body}\n\n<i>${t('cases.answer-footer')}</i>`,
                parse_mode: 'HTML',
                reply_markup: { inline_keyboard: [[{ text: t('cases.reply'), callback_data: cb.caseReply(id) }]] },
              },
            },
          ],
          now,
        );
        return m!;
      });
    },

    /** An internal note; open to every lawyer, also on a case another one holds. */
    async addNote(id: number, actor: Actor, text: string) {
      assertMayAct(await mustFind(id), actor, 'note');
      const [n] = await db.insert(caseNotes).values({ caseId: id, staffId: actor.id, text, createdAt: clock() }).returning();
      return n!;
    },

    /** Closes a case and asks the user (in their language) to rate the answer. */
    async close(id: number, actor: Actor): Promise<CaseRow> {
      const now = clock();
      const closed = await db.transaction(async (tx) => {
        const found = await lockFor(tx as unknown as Database, id, actor, 'close');
        if (found.status !== 'open' && found.status !== 'claimed') throw new CaseConflictError(`case ${id} is already ${found.status}`);
        const [c] = await tx.update(cases).set({ status: 'closed', closedAt: now, updatedAt: now }).where(eq(cases.id, id)).returning();
        if (c!.userId) {
          await enqueueToUser(
            tx as unknown as Database,
            { userId: c!.userId, language: c!.language },
            (t) => ({
              kind: 'case-closed',
              payload: {
                text: t('cases.closed', { id }),
                parse_mode: 'HTML',
                reply_markup: { inline_keyboard: [[1, 2, 3, 4, 5].map((n) => ({ text: '⭐'.repeat(n), callback_data: cb.rate(id, n) }))] },
              },
            }),
            now,
          );
        }
        return c!;
      });
      if (closed.userId) onUserChanged(closed.userId);
      return closed;
    },

    /** Reopens a closed case; it goes back to the lawyer who held it. */
    async reopen(id: number, actor: Actor): Promise<CaseRow> {
      const reopened = await db.transaction(async (tx) => {
        const c = await lockFor(tx as unknown as Database, id, actor, 'reopen');
        if (c.status !== 'closed' || c.anonymisedAt) throw new CaseConflictError(`case ${id} is ${c.anonymisedAt ? 'anonymised' : c.status} and cannot be reopened`);
        const [row] = await tx
          .update(cases)
          .set({ status: c.assigneeId === null ? 'open' : 'claimed', closedAt: null, updatedAt: clock() })
          .where(eq(cases.id, id))
          .returning();
        return row!;
      });
      if (reopened.userId) onUserChanged(reopened.userId);
      return reopened;
    },

    /** Requeues deliveries of this case that ended as failed. */
    async retryFailed(id: number, actor: Actor): Promise<number> {
      assertMayAct(await mustFind(id), actor, 'retry-delivery');
      const rows = await db
        .update(outbox)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: clock(), lastError: null })
        .where(and(eq(outbox.status, 'failed'), inArray(outbox.caseMessageId, db.select({ id: caseMessages.id }).from(caseMessages).where(eq(caseMessages.caseId, id)))))
        .returning({ id: outbox.id });
      return rows.length;
    },

    /** The stored attachment `index` of a message of this case, if there is one. */
    async attachment(caseId: number, messageId: number, index: number): Promise<string | undefined> {
      const [m] = await db
        .select({ fileIds: caseMessages.fileIds })
        .from(caseMessages)
        .where(and(eq(caseMessages.id, messageId), eq(caseMessages.caseId, caseId)))
        .limit(1);
      return m?.fileIds[index];
    },

    /** Checks the access rule for an action done outside this service (attachments, translations). */
    async access(id: number, actor: Actor, action: CaseAction): Promise<CaseRow> {
      const c = await mustFind(id);
      assertMayAct(c, actor, action);
      return c;
    },

    /** Counts and median times, no personal data. Both queries read only `cases_stats_idx`. */
    async stats() {
      const counts = await db
        .select({
          status: cases.status,
          topic: cases.topic,
          language: cases.language,
          by: sql<number>`grouping(${cases.status}, ${cases.topic}, ${cases.language})::int`,
          n: sql<number>`count(*)::int`,
        })
        .from(cases)
        .groupBy(sql`grouping sets ((${cases.status}), (${cases.topic}), (${cases.language}))`);
      // grouping() sets a bit for each column left out: 3 = only status kept, 5 = topic, 6 = language.
      const pick = (bits: number, key: 'status' | 'topic' | 'language') =>
        counts.filter((r) => Number(r.by) === bits).map((r) => ({ key: String(r[key]), n: Number(r.n) }));
      const [byStatus, byTopic, byLanguage] = [pick(3, 'status'), pick(5, 'topic'), pick(6, 'language')];
      const [times] = await db
        .select({
          firstResponse: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${cases.firstResponseAt} - ${cases.createdAt}))`,
          resolution: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${cases.closedAt} - ${cases.createdAt})) filter (where ${cases.status} = 'closed')`,
          rating: sql<number | null>`avg(${cases.rating})`,
        })
        .from(cases);
      const obj = (rows: { key: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.n]));
      const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
      return {
        byStatus: obj(byStatus),
        byTopic: obj(byTopic),
        byLanguage: obj(byLanguage),
        medianFirstResponseSeconds: num(times?.firstResponse),
        medianResolutionSeconds: num(times?.resolution),
        averageRating: times?.rating === null || times?.rating === undefined ? null : Number(Number(times.rating).toFixed(2)),
      };
    },
  };
  return service;
}

/** Erases the personal parts of cases, keeping counts, topics and times. */
async function anonymise(db: Database, ids: number[], now: Date) {
  await db
    .update(cases)
    .set({ userId: null, citizenship: null, context: { flows: [] }, summaryRu: ERASED, ratingComment: null, anonymisedAt: now })
    .where(inArray(cases.id, ids));
  await db.delete(outbox).where(inArray(outbox.caseMessageId, db.select({ id: caseMessages.id }).from(caseMessages).where(inArray(caseMessages.caseId, ids))));
  await db.delete(messageTranslations).where(inArray(messageTranslations.messageId, db.select({ id: caseMessages.id }).from(caseMessages).where(inArray(caseMessages.caseId, ids))));
  await db.update(caseMessages).set({ text: ERASED, fileIds: [] }).where(inArray(caseMessages.caseId, ids));
  await db.update(caseNotes).set({ text: ERASED }).where(inArray(caseNotes.caseId, ids));
  await db.delete(pendingInputs).where(inArray(pendingInputs.caseId, ids));
}

export type CaseService = ReturnType<typeof createCaseService>;
export type { IsoDate };
