/**
 * The lawyers' queue listing as prepared queries, one per filter shape, in two steps: the
 * page's ids with their row versions (`keys`), then whole rows only for the ids the caller
 * does not already hold (`rows`; see case-list-cache.ts).
 *
 * Why prepared: drizzle sends an ordinary query as an unnamed statement, so PostgreSQL parsed
 * and planned the queue's query again on every poll, and drizzle built it again in Node. A
 * query built once per shape and executed by name with placeholders reuses both.
 *
 * A shape is which filters are present, not their values: the values are placeholders.
 * Statuses stay literals (see `statusIn`), so they are part of the shape.
 */
import { and, asc, eq, exists, getTableColumns, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { CASE_STATUSES, type CasePriority, type CaseStatus, caseMessages, cases, messageTranslations } from '../db/schema/index.js';

export type CaseRow = typeof cases.$inferSelect;
/** A case as the queue lists it: without its context, with when a hold must end (from the context). */
export type CaseListRow = Omit<CaseRow, 'context'> & { holdEndsAt: string | null };

/** The same `holdEndsAt` for a whole case, in TypeScript (the case view); the list computes it in SQL. */
export function holdEndsAtOf(context: CaseRow['context']): string | null {
  return context.situation?.items.find((i) => i.kind === 'deadline' && i.moment)?.legal ?? null;
}

export interface CaseListFilter {
  status?: CaseStatus[];
  priority?: CasePriority;
  topic?: string;
  language?: string;
  assignee?: number | 'none';
  /** A case number ("12", "#12") or words in the summary, the thread or its translations. */
  q?: string;
  cursor?: string;
  limit: number;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/**
 * When a hold at a police station must end: the first deadline counted in hours in the
 * case's situation (its legal moment). A JSON path, not a subquery over the items: it costs
 * PostgreSQL next to nothing per row.
 */
const HOLD_ENDS_AT = sql<string | null>`jsonb_path_query_first(${cases.context}, '$.situation.items[*] ? (@.kind == "deadline" && @.moment == true).legal') #>> '{}'`;

const { context: _context, ...LIST_COLUMNS } = getTableColumns(cases);

/**
 * The row's version: PostgreSQL gives every new version of a row (each UPDATE) the id of the
 * transaction that wrote it. A listed case whose version is unchanged is the same case, in any
 * process, so its JSON can be reused (case-list-cache.ts).
 */
const ROW_VERSION = sql<string>`${cases}.xmin::text`;

/** A listed case's id and row version. */
export interface CaseListKey {
  id: number;
  version: string;
}

/**
 * Queue order: urgent first, then the nearest legal deadline, then the oldest. These
 * expressions are the keys of the indexes `cases_queue_active_idx` / `cases_queue_all_idx`
 * (db/schema/cases.ts): change both together, or every page sorts the whole table.
 */
const PRIORITY_RANK = sql<number>`case when ${cases.priority} = 'urgent' then 0 else 1 end`;
const DEADLINE_KEY = sql<string>`coalesce(${cases.nearestDeadline}, '9999-12-31'::date)`;

interface Cursor {
  p: number;
  d: string;
  c: string;
  id: number;
}
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString());
    if (typeof c.p === 'number' && typeof c.d === 'string' && typeof c.c === 'string' && Number.isSafeInteger(c.id)) return c;
  } catch {}
  return undefined;
}

/**
 * `status in ('open', 'claimed')` with the statuses written as literals (they are checked
 * against CASE_STATUSES): as a bound parameter, a prepared statement's generic plan could
 * not prove the partial index's condition and would sort the table instead.
 */
function statusIn(list: readonly CaseStatus[]): SQL {
  if (!list.length) return sql`false`;
  return sql`${cases.status} in (${sql.raw(list.map((s) => `'${s}'`).join(', '))})`;
}

const p = (name: string) => sql.placeholder(name);

/** Matches a case number, or words (the `pattern` placeholder) in the summary, the thread or its translations. */
function searchCondition(kind: 'id' | 'words'): SQL {
  if (kind === 'id') return eq(cases.id, p('caseId'));
  return or(
    ilike(cases.summaryRu, p('pattern')),
    exists(
      sql`(select 1 from ${caseMessages} left join ${messageTranslations} on ${messageTranslations.messageId} = ${caseMessages.id}
           where ${caseMessages.caseId} = ${cases.id} and (${caseMessages.text} ilike ${p('pattern')} or ${messageTranslations.text} ilike ${p('pattern')}))`,
    ),
  )!;
}

/** What makes two listings the same query: the filters present, the statuses and the kind of search. */
interface Shape {
  statuses: CaseStatus[] | null;
  search: 'id' | 'words' | null;
  priority: boolean;
  topic: boolean;
  language: boolean;
  assignee: 'none' | 'id' | null;
  cursor: boolean;
}

/** Shapes kept prepared: a console uses a handful; the bound stops a client that tries every combination. */
const MAX_SHAPES = 256;

export function createCaseListQuery(db: Database) {
  const prepared = new Map<string, ReturnType<typeof build>>();
  let built = 0;

  function build(shape: Shape, name: string) {
    const where: SQL[] = [];
    if (shape.statuses) where.push(statusIn(shape.statuses));
    if (shape.search) where.push(searchCondition(shape.search));
    if (shape.priority) where.push(eq(cases.priority, p('priority')));
    if (shape.topic) where.push(eq(cases.topic, p('topic')));
    if (shape.language) where.push(eq(cases.language, p('language')));
    if (shape.assignee === 'none') where.push(isNull(cases.assigneeId));
    else if (shape.assignee === 'id') where.push(eq(cases.assigneeId, p('assignee')));
    if (shape.cursor) {
      where.push(
        sql`(${PRIORITY_RANK}, ${DEADLINE_KEY}, ${cases.createdAt}, ${cases.id}) > (${p('cp')}, ${p('cd')}::date, ${p('cc')}::timestamptz, ${p('cid')})`,
      );
    }
    return db
      .select({
        id: cases.id,
        version: ROW_VERSION,
        priority: cases.priority,
        // The cursor's keys as text: exact to the microsecond (a Date keeps milliseconds only).
        deadline: sql<string | null>`${cases.nearestDeadline}::text`,
        createdAt: sql<string>`${cases.createdAt}::text`,
      })
      .from(cases)
      .where(and(...where))
      .orderBy(PRIORITY_RANK, DEADLINE_KEY, asc(cases.createdAt), asc(cases.id))
      .limit(p('limit'))
      .prepare(name);
  }

  /** The listed cases, by id, with their row versions; at most 100 ids (a page). */
  const byIds = db
    .select({ ...LIST_COLUMNS, holdEndsAt: HOLD_ENDS_AT, version: ROW_VERSION })
    .from(cases)
    .where(sql`${cases.id} = any(${p('ids')}::bigint[])`)
    .prepare('case_list_rows');

  /** A page of the queue: the cases' ids in queue order with their row versions, and the next page's cursor. */
  async function keys(filter: CaseListFilter): Promise<{ items: CaseListKey[]; nextCursor?: string }> {
    const params: Record<string, unknown> = { limit: filter.limit + 1 };
    // A search looks through every status unless the caller narrows it.
    const wanted = filter.status?.length ? filter.status : filter.q ? null : (['open', 'claimed'] as CaseStatus[]);
    const statuses = wanted && [...new Set(wanted.filter((s) => (CASE_STATUSES as readonly string[]).includes(s)))].sort();
    let search: Shape['search'] = null;
    if (filter.q) {
      const id = /^#?(\d{1,15})$/.exec(filter.q.trim());
      if (id) {
        search = 'id';
        params.caseId = Number(id[1]);
      } else {
        search = 'words';
        params.pattern = `%${filter.q.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      }
    }
    if (filter.priority) params.priority = filter.priority;
    if (filter.topic) params.topic = filter.topic;
    if (filter.language) params.language = filter.language;
    if (typeof filter.assignee === 'number') params.assignee = filter.assignee;
    if (filter.cursor) {
      const c = decodeCursor(filter.cursor);
      if (!c) throw new InvalidCursorError('cursor is not valid');
      Object.assign(params, { cp: c.p, cd: c.d, cc: c.c, cid: c.id });
    }
    const shape: Shape = {
      statuses,
      search,
      priority: !!filter.priority,
      topic: !!filter.topic,
      language: !!filter.language,
      assignee: filter.assignee === 'none' ? 'none' : filter.assignee !== undefined ? 'id' : null,
      cursor: !!filter.cursor,
    };
    const key = JSON.stringify(shape);
    let query = prepared.get(key);
    if (!query) {
      if (prepared.size >= MAX_SHAPES) prepared.delete(prepared.keys().next().value!);
      query = build(shape, `case_list_${++built}`);
      prepared.set(key, query);
    }
    const rows = await query.execute(params);
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > filter.limit && last
        ? encodeCursor({ p: last.priority === 'urgent' ? 0 : 1, d: last.deadline ?? '9999-12-31', c: last.createdAt, id: last.id })
        : undefined;
    return { items: page.map((r) => ({ id: r.id, version: r.version })), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** The cases with these ids as the list shows them (any order), each with its row version. */
  const rows = async (ids: number[]): Promise<(CaseListRow & CaseListKey)[]> => (ids.length ? byIds.execute({ ids: `{${ids.join(',')}}` }) : []);

  return {
    keys,
    rows,
    /** A page of whole rows, in queue order (without the cache; tests and tools). */
    async list(filter: CaseListFilter): Promise<{ items: CaseListRow[]; nextCursor?: string }> {
      const page = await keys(filter);
      const found = new Map((await rows(page.items.map((k) => k.id))).map((r) => [r.id, r]));
      const items = page.items.flatMap((k) => found.get(k.id) ?? []);
      return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  };
}

export type CaseListQuery = ReturnType<typeof createCaseListQuery>;
