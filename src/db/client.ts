/**
 * One database API over two engines: PostgreSQL through postgres.js when
 * DATABASE_URL is set, or embedded PGlite in a directory otherwise, so a newcomer
 * runs everything with no server. Same drizzle schema, same committed migrations.
 */
import { mkdirSync } from 'node:fs';
import { repoPath } from '../lib/repo-path.js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** Advisory lock (class, key) held while one process migrates and seeds. */
const MIGRATION_LOCK = [0x50_72_61_76, 2] as const;

export const MIGRATIONS_DIR = repoPath('drizzle');

/** The rows of `db.execute(sql\`…\`)`: postgres.js returns them as an array, PGlite as `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /**
   * Applies committed migrations (idempotent), then runs `then` (seeding). On
   * PostgreSQL both run under an advisory lock: processes starting together
   * (a deploy of several) take turns instead of racing to create the same tables.
   */
  migrate(then?: () => Promise<unknown>): Promise<void>;
  /** Connections this process may open (PGlite: 1, in process); for /metrics. */
  poolSize: number;
  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;
  /**
   * Opens up to `connections` of the pool now (PostgreSQL; PGlite has nothing to open).
   * A start does it while it reads its content: the first answers, the senders' first
   * polls and the first sweep would otherwise each wait for a new connection, and for
   * PostgreSQL to start a process for it.
   */
  warm(connections: number): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  url?: string;
  /** PGlite data directory; `undefined` keeps it in memory (tests). */
  pgliteDir?: string;
  /** Connection pool size for PostgreSQL. */
  maxConnections?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.url) {
    const poolSize = opts.maxConnections ?? 10;
    const sql = postgres(opts.url, { max: poolSize, onnotice: () => {} });
    const db = drizzlePostgres(sql, { schema, casing: 'snake_case' }) as unknown as Database;
    return {
      db,
      kind: 'postgres',
      poolSize,
      migrate: async (then) => {
        // A connection of its own (not one of the pool, which may have only one): closing it releases the lock.
        const lock = postgres(opts.url!, { max: 1, onnotice: () => {} });
        try {
          await lock`select pg_advisory_lock(${MIGRATION_LOCK[0]}, ${MIGRATION_LOCK[1]})`;
          await migratePostgres(drizzlePostgres(sql), { migrationsFolder: MIGRATIONS_DIR });
          await then?.();
        } finally {
          await lock.end({ timeout: 5 });
        }
      },
      ping: async () => {
        await sql`select 1`;
      },
      warm: async (connections) => {
        await Promise.all(Array.from({ length: Math.min(connections, poolSize) }, () => sql`select 1`));
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  // Loaded only when used: a PostgreSQL start does not pay for PGlite's modules.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (opts.pgliteDir) mkdirSync(opts.pgliteDir, { recursive: true });
  const client = opts.pgliteDir ? new PGlite(opts.pgliteDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    poolSize: 1,
    migrate: async (then) => {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR });
      await then?.();
    },
    ping: async () => {
      await client.query('select 1');
    },
    warm: async () => {},
    close: () => client.close(),
  };
}
