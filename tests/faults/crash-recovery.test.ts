/**
 * Crashes (SIGKILL, no graceful stop) of a process using the embedded database:
 * reminders due before and during the crash are all sent after a restart, each
 * once, except the one that was in flight at the kill (Telegram may have it
 * already; it is sent again); and PGlite killed in the middle of writing keeps
 * every transaction whose commit had returned.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { auditLog, outbox, reminderJobs } from '../../src/db/schema/index.js';
import { testTimeout, waitFor } from '../helpers/wait-for.js';

let dir = '';
let child: ChildProcess | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pravo-crash-'));
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(work: 'senders' | 'writer', env: Record<string, string>, onLine: (line: string) => void = () => {}): ChildProcess {
  const p = spawn(process.execPath, ['--import', 'tsx', 'tests/faults/crash-worker.ts'], {
    env: { ...process.env, WORK: work, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  p.stdout!.on('data', (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const l of lines) onLine(l);
  });
  return p;
}
const killed = (p: ChildProcess) =>
  new Promise<void>((r) => {
    if (p.exitCode !== null || p.signalCode !== null) return r();
    p.once('exit', () => r());
    p.kill('SIGKILL');
  });

describe('a crash with reminders due', () => {
  const USERS = { a: 7_100_001, b: 7_100_002, inFlight: 7_100_003, laterA: 7_100_004, laterB: 7_100_005 };
  const received = new Map<number, number>();
  let server: Server;
  let root = '';

  beforeAll(async () => {
    // Telegram: counts each chat's messages; the first send to `inFlight` never answers
    // (counted as delivered: the worst case for duplicates).
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const chatId = Number(JSON.parse(body || '{}').chat_id);
        received.set(chatId, (received.get(chatId) ?? 0) + 1);
        if (chatId === USERS.inFlight && received.get(chatId) === 1) return; // hangs
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: chatId, type: 'private' } } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    root = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it(
    'sends every reminder after the restart, once each, and the one in flight at most twice',
    async () => {
      const pgliteDir = join(dir, 'reminders');
      const database = await openDatabase({ pgliteDir });
      await database.migrate();
      const now = Date.now();
      const minutes = (m: number) => new Date(now + m * 60_000).toISOString();
      // Due now (a, b, then inFlight), and due in an hour: while the process is down.
      const due = [
        [USERS.a, minutes(-3)],
        [USERS.b, minutes(-2)],
        [USERS.inFlight, minutes(-1)],
        [USERS.laterA, minutes(60)],
        [USERS.laterB, minutes(61)],
      ] as const;
      for (const [id, dueAt] of due) {
        await database.db.execute(sql`insert into users (id, language, consented_at) values (${id}, 'ru', now())`);
        await database.db.execute(sql`
          with d as (insert into user_dates (user_id, kind, document, date) values (${id}, 'document', 'passport', '2099-01-01') returning id)
          insert into reminder_jobs (user_date_id, user_id, days_before, for_date, due_at) select d.id, ${id}, 7, '2099-01-01', ${dueAt}::timestamptz from d`);
      }
      await database.close();

      const env = { PGLITE_DIR: pgliteDir, TELEGRAM_API_ROOT: root, QUIET_HOURS: '0-0' };
      child = startWorker('senders', env);
      await waitFor(() => received.get(USERS.inFlight) === 1 && received.get(USERS.b) === 1, 'the first reminders and the one that hangs');
      await killed(child);

      // Restarted with the clock a day on (past the claims' leases and the later reminders' times).
      child = startWorker('senders', { ...env, CLOCK_OFFSET_DAYS: '1' });
      await waitFor(
        () => (received.get(USERS.laterA) ?? 0) >= 1 && (received.get(USERS.laterB) ?? 0) >= 1 && (received.get(USERS.inFlight) ?? 0) >= 2,
        'the reminders after the restart',
      );
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));

      expect(Object.fromEntries(Object.entries(USERS).map(([k, id]) => [k, received.get(id) ?? 0]))).toEqual({ a: 1, b: 1, inFlight: 2, laterA: 1, laterB: 1 });
      const after = await openDatabase({ pgliteDir });
      const jobs = await after.db.select({ status: reminderJobs.status }).from(reminderJobs);
      const sent = await after.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.kind, 'reminder'));
      await after.close();
      expect(jobs.map((j) => j.status)).toEqual(Array(5).fill('sent'));
      expect(sent.map((r) => r.status)).toEqual(Array(5).fill('sent'));
    },
    testTimeout(2),
  );
});

describe('the embedded database killed mid-write', () => {
  it(
    'keeps every committed transaction and opens again on the same directory',
    async () => {
      const pgliteDir = join(dir, 'writer');
      let committed = 0;
      child = startWorker('writer', { PGLITE_DIR: pgliteDir }, (line) => {
        const m = /^committed (\d+)$/.exec(line);
        if (m) committed = Number(m[1]);
      });
      await waitFor(() => committed >= 300, '300 commits');
      await killed(child); // mid-write: it commits continuously
      const seen = committed;

      const db = await openDatabase({ pgliteDir });
      const rows = await db.db.select({ n: sql<number>`(${auditLog.details}->>'n')::int` }).from(auditLog).where(eq(auditLog.action, 'crash-test'));
      const numbers = new Set(rows.map((r) => Number(r.n)));
      const missing = Array.from({ length: seen }, (_, i) => i + 1).filter((n) => !numbers.has(n));
      expect(missing).toEqual([]);
      // It still writes.
      await db.db.insert(auditLog).values({ action: 'after-crash' });
      expect((await db.db.select().from(auditLog).where(eq(auditLog.action, 'after-crash'))).length).toBe(1);
      await db.close();
    },
    testTimeout(),
  );
});
