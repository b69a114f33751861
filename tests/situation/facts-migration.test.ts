/**
 * Upgrading a database that has users: the citizenship users gave for alerts (or in a
 * flow) becomes their citizenship fact, for consented users and the countries the facts
 * vocabulary names; nothing else moves, and nothing is lost.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';

const before = mkdtempSync(join(tmpdir(), 'pravo-mig-'));
afterAll(() => rmSync(before, { recursive: true, force: true }));

describe('migration 0004 (situation facts)', () => {
  it('turns each consented user’s citizenship into their citizenship fact', async () => {
    // The migrations as they were before the situation model.
    cpSync('drizzle', before, { recursive: true });
    const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8'));
    const idx = journal.entries.findIndex((e: { tag: string }) => e.tag.startsWith('0004'));
    expect(idx).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, idx);
    writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal));

    const client = new PGlite();
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: before });
    await client.exec(`
      insert into users (id, language, consented_at, citizenship) values
        (1, 'uz', now(), 'uz'), (2, 'tg', null, 'tj'), (3, 'en', now(), 'ua'), (4, 'ru', now(), null), (5, 'ky', now(), 'kg');`);
    await migrate(db, { migrationsFolder: 'drizzle' });

    const facts = await client.query<{ user_id: number; fact: string; value: unknown; source: string }>('select user_id, fact, value, source from user_facts order by user_id');
    expect(facts.rows.map((r) => [Number(r.user_id), r.fact, r.value, r.source])).toEqual([
      [1, 'citizenship', 'uz', 'migration'],
      [5, 'citizenship', 'kg', 'migration'],
    ]);
    // The alert audience's column is untouched.
    const users = await client.query<{ citizenship: string | null }>('select citizenship from users order by id');
    expect(users.rows.map((r) => r.citizenship)).toEqual(['uz', 'tj', 'ua', null, 'kg']);
    await client.close();
    // Two full migrations of an embedded PostgreSQL: seconds on a quiet machine, far more on a loaded one.
  }, 300_000);
});
