/**
 * A child process for tests/faults/crash-recovery.test.ts, killed with SIGKILL
 * while it works. `WORK=senders`: the reminder scheduler and the outbox sender
 * against TELEGRAM_API_ROOT, as in production. `WORK=writer`: commits numbered rows
 * one transaction at a time, printing each number once its commit returned.
 * Uses the embedded database (PGlite) in PGLITE_DIR.
 */
import { Api } from 'grammy';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { createReminderScheduler } from '../../src/deadlines/reminder-scheduler.js';
import { auditLog } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxSender } from '../../src/outbox/outbox.js';

const config = loadConfig();
const logger = createLogger('silent');
const c = await createContainer(config, logger);

if (process.env.WORK === 'writer') {
  for (let n = 1; ; n++) {
    await c.database.db.transaction(async (tx) => {
      await tx.insert(auditLog).values({ action: 'crash-test', details: { n, pad: 'x'.repeat(2000) } });
    });
    process.stdout.write(`committed ${n}\n`);
  }
} else {
  const api = new Api('123:crash-test', { apiRoot: config.TELEGRAM_API_ROOT });
  const sender = createOutboxSender({ db: c.database.db, api, clock: c.clock, logger });
  const reminders = createReminderScheduler({
    db: c.database.db,
    deadlines: c.deadlines,
    translator: c.translator,
    clock: c.clock,
    logger,
    quiet: config.QUIET_HOURS,
    wakeOutbox: sender.wake,
  });
  sender.start(100);
  reminders.start(100);
  // SIGTERM is a clean stop, as in main.ts: the sends in hand finish and are recorded.
  process.once('SIGTERM', async () => {
    await reminders.stop();
    await sender.stop();
    await c.close();
    process.exit(0);
  });
  process.stdout.write('started\n');
}
