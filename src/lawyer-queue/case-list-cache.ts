/**
 * The queue's pages as JSON, reusing each case's JSON while its row is unchanged.
 *
 * Why: the console polls the queue every few seconds in every open tab, and between two polls
 * almost no case changes. Reading, decoding, mapping and serialising 20 whole cases each time
 * cost more than three times a `/healthz` (issue 18, `npm run bench:api`). Here a page costs
 * one small query: the ids in queue order with their row versions (`xmin`). A case whose
 * version this process has already turned into JSON is reused as it is; only new or changed
 * cases are read whole (a second query, by id).
 *
 * Coherent without invalidation: the version comes from PostgreSQL on every request, so a
 * change by any process, trigger or hand-written SQL shows on the next poll. Nothing is
 * cached about which cases are listed or in what order.
 */
import type { CaseListFilter, CaseListKey, CaseListQuery, CaseListRow } from './case-list-query.js';

export interface CaseListPage {
  /** Each case as JSON text, in queue order. */
  items: string[];
  nextCursor?: string;
}

/** The page as a response body, `{"items": [...], "nextCursor": ...}`, without parsing the items again. */
export const caseListBody = (page: CaseListPage) =>
  `{"items":[${page.items.join(',')}]${page.nextCursor ? `,"nextCursor":${JSON.stringify(page.nextCursor)}` : ''}}`;

export function createCaseListCache({ query, toJson, max = 5_000 }: { query: Pick<CaseListQuery, 'keys' | 'rows'>; toJson: (row: CaseListRow) => string; max?: number }) {
  /** Case id → its JSON at a row version. Insertion order is recency (a small LRU). */
  const built = new Map<number, { version: string; json: string }>();

  function remember(id: number, entry: { version: string; json: string }) {
    built.delete(id);
    built.set(id, entry);
    if (built.size > max) built.delete(built.keys().next().value!);
  }

  return {
    async page(filter: CaseListFilter): Promise<CaseListPage> {
      const page = await query.keys(filter);
      const stale = page.items.filter((k: CaseListKey) => built.get(k.id)?.version !== k.version).map((k) => k.id);
      // Read whole rows for new or changed cases. A row changed again since the keys were read
      // comes back newer: it is shown (and kept) at its own, newer version.
      const fresh = new Map<number, string>();
      for (const row of await query.rows(stale)) {
        const { version, ...listed } = row;
        const json = toJson(listed);
        fresh.set(row.id, json);
        remember(row.id, { version, json });
      }
      const items: string[] = [];
      for (const k of page.items) {
        const kept = built.get(k.id);
        const json = fresh.get(k.id) ?? (kept?.version === k.version ? kept.json : undefined);
        // A case deleted between the two queries (a user who asked to be forgotten) is left out.
        if (json !== undefined) items.push(json);
      }
      return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  };
}
