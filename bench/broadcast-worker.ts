/**
 * One broadcast sender process for the benchmark: it sends until no alert is
 * sending any more, then exits. The benchmark kills it with SIGKILL half way.
 * Env: BENCH_DB (postgres URL or PGlite directory), API_ROOT, RATE, LEASE_MS.
 */
import { Api } from 'grammy';
import { createBroadcastSender } from '../src/broadcasts/broadcast-sender.js';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { openDatabase } from '../src/db/client.js';
import { createLogger } from '../src/logger.js';

const target = process.env.BENCH_DB!;
const database = await openDatabase(target.startsWith('postgres') ? { url: target } : { pgliteDir: target });
const container = await createContainer(loadConfig({ LOG_LEVEL: 'silent' }), createLogger('silent'), { database });
const sender = createBroadcastSender({
  db: database.db,
  api: new Api('123:bench', { apiRoot: process.env.API_ROOT }),
  alertsService: container.alerts,
  translator: container.translator,
  clock: () => new Date(),
  logger: createLogger('silent'),
  onBlocked: (userId) => container.users.setBlocked(userId, true, new Date()),
  rate: Number(process.env.RATE),
  // Short leases (by default) so the restart after a kill does not wait long for the dead process's claims.
  leaseMs: Number(process.env.LEASE_MS ?? 3_000),
});
for (;;) {
  await sender.runOnce();
  const sending = (await container.alerts.list()).some((a) => a.status === 'sending');
  if (!sending) break;
  await new Promise((r) => setTimeout(r, 200)); // retries and expired leases come due
}
await database.close();
process.exit(0);
