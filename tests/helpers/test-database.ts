/**
 * A fresh database per test file: a throwaway PostgreSQL database when
 * TEST_DATABASE_URL is set (dropped afterwards), otherwise in-memory PGlite.
 * Empty: the container applies the committed migrations, as at a real start.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.js';

export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({});
  const name = `pravo_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openDatabase({ url: u.href, maxConnections: 5 });
  return {
    ...db,
    close: async () => {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
