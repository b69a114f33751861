/**
 * A fresh database per test file: a throwaway PostgreSQL database when
 * TEST_DATABASE_URL is set (dropped afterwards), otherwise in-memory PGlite.
 * Empty: the container applies the committed migrations, as at a real start.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.js';

/** A throwaway database on the server of `serverUrl`, for tests that need its address (child processes, raw SQL). */
export interface ScratchDatabase {
  name: string;
  /** The same server and role, this database. */
  url: string;
  /** A connection to the server's own database (for statements about the scratch one). */
  admin: postgres.Sql;
  /** Drops the database (sessions still on it are ended) and closes `admin`. */
  drop(): Promise<void>;
}

export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `pravo_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.href,
    admin,
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({});
  const scratch = await createScratchDatabase(url);
  const db = await openDatabase({ url: scratch.url, maxConnections: 5 });
  return {
    ...db,
    close: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}
