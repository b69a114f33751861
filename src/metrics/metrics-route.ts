/**
 * GET /metrics for Prometheus, behind a bearer token (METRICS_TOKEN; without it the route
 * does not exist, so nothing about the service is public). The process's own counters
 * (metrics.ts) plus gauges read from the database at scrape time, a few indexed counts:
 * the outbox's depth and oldest pending age, how late the oldest due reminder is, the
 * alert sends of the last minute, and the database pool.
 */
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import type { Container } from '../container.js';
import { rowsOf } from '../db/client.js';
import { registry } from './metrics.js';

interface DbFigures {
  outboxDepth: number;
  outboxOldestSeconds: number;
  remindersDue: number;
  reminderLagSeconds: number;
  alertPending: number;
  alertSentLastMinute: number;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** One round trip; every count uses an index on (status, time). */
export async function readDbFigures(c: Container): Promise<DbFigures> {
  const now = sql`${c.clock().toISOString()}::timestamptz`;
  const result = await c.database.db.execute(sql`
    select
      (select count(*) from outbox where status = 'pending') as outbox_depth,
      (select extract(epoch from ${now} - min(created_at)) from outbox where status = 'pending') as outbox_oldest,
      (select count(*) from reminder_jobs where status = 'pending' and due_at <= ${now}) as reminders_due,
      (select extract(epoch from ${now} - min(due_at)) from reminder_jobs where status = 'pending' and due_at <= ${now}) as reminder_lag,
      (select count(*) filter (where d.status = 'pending') from alert_deliveries d join alerts a on a.id = d.alert_id where a.status = 'sending') as alert_pending,
      (select count(*) from alert_deliveries d where d.sent_at >= ${now} - interval '1 minute' and d.alert_id in (
         select id from alerts where status in ('sending', 'done') and (finished_at is null or finished_at >= ${now} - interval '1 minute'))) as alert_sent`);
  const r = rowsOf<Record<string, unknown>>(result)[0] ?? {};
  return {
    outboxDepth: num(r.outbox_depth),
    outboxOldestSeconds: Math.max(0, num(r.outbox_oldest)),
    remindersDue: num(r.reminders_due),
    reminderLagSeconds: Math.max(0, num(r.reminder_lag)),
    alertPending: num(r.alert_pending),
    alertSentLastMinute: num(r.alert_sent),
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerMetricsRoute(app: FastifyInstance, c: Container): void {
  const token = c.config.METRICS_TOKEN;
  if (!token) return;
  // Per app: the gauges read this container's database.
  const db = new Registry();
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [db] });
  const g = {
    outboxDepth: gauge('pravo_outbox_depth', 'Messages waiting in the outbox (pending)'),
    outboxOldest: gauge('pravo_outbox_oldest_age_seconds', 'Age of the oldest pending outbox message (0 when empty)'),
    remindersDue: gauge('pravo_reminders_due', 'Reminders whose time has come and that are not sent yet'),
    reminderLag: gauge('pravo_reminder_lag_seconds', 'How late the oldest due reminder is (0 when none is due)'),
    alertPending: gauge('pravo_alert_deliveries_pending', 'Alert messages still to send, over the alerts being sent'),
    alertRate: gauge('pravo_alert_sends_per_second', 'Alert messages sent per second over the last minute (all processes)'),
    dbUp: gauge('pravo_db_up', '1 when the database answered this scrape'),
    dbScrape: gauge('pravo_db_scrape_seconds', 'Time the database took to answer this scrape'),
    poolMax: gauge('pravo_db_pool_max_connections', 'Connections this process may open (PGlite: 1, in process)'),
  };
  const connections = new Gauge({
    name: 'pravo_db_connections',
    help: "Connections to this database by state (active, idle, …), every process's, from pg_stat_activity",
    labelNames: ['state'] as const,
    registers: [db],
  });
  g.poolMax.set(c.database.poolSize);

  app.get('/metrics', async (req, reply) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m || !sameToken(m[1]!, token)) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'send "Authorization: Bearer <METRICS_TOKEN>"' });
    const t0 = performance.now();
    try {
      const f = await readDbFigures(c);
      g.outboxDepth.set(f.outboxDepth);
      g.outboxOldest.set(f.outboxOldestSeconds);
      g.remindersDue.set(f.remindersDue);
      g.reminderLag.set(f.reminderLagSeconds);
      g.alertPending.set(f.alertPending);
      g.alertRate.set(Math.round((f.alertSentLastMinute / 60) * 100) / 100);
      g.dbUp.set(1);
      connections.reset();
      if (c.database.kind === 'postgres') {
        const result = await c.database.db.execute(
          sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where datname = current_database() group by 1`,
        );
        for (const r of rowsOf<{ state: string; n: number }>(result)) connections.set({ state: r.state }, Number(r.n));
      }
    } catch {
      // The database is down: say so; the process's own figures are still worth scraping.
      g.dbUp.set(0);
    }
    g.dbScrape.set((performance.now() - t0) / 1000);
    const text = `${await registry.metrics()}\n${await db.metrics()}`;
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
