/**
 * Prometheus metrics (prom-client): what the process counts as it works. Updates handled
 * and their handling time are measured around `bot.handleUpdate`, the one entry of every
 * transport (polling, webhook, local mode, the web app), so the update pipeline itself is
 * untouched. What lives in the database (outbox depth, reminder lag, alert sends) is read
 * at scrape time instead (metrics-route.ts): it is right across several processes, and the
 * senders need no hooks. One registry per process, like prom-client's default.
 */
import type { Bot, Context } from 'grammy';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'pravo_' });

export const updatesHandled = new Counter({
  name: 'pravo_updates_handled_total',
  help: 'Telegram updates handled, by kind (message, callback_query, …) and outcome (ok, error)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const updateSeconds = new Histogram({
  name: 'pravo_update_handler_seconds',
  help: 'Time to handle one update, from receiving it to the last Bot API call',
  labelNames: ['kind'] as const,
  // A flow step takes about 0.1–2 ms; an answer to a lawyer or a database hiccup far more.
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** The update's kind: its one field besides update_id (message, callback_query, my_chat_member…). */
export function updateKind(update: object): string {
  for (const key of Object.keys(update)) if (key !== 'update_id') return key;
  return 'unknown';
}

/** Counts and times every update `bot` handles. Call before polling or a webhook starts. */
export function instrumentBot<C extends Context>(bot: Bot<C>): void {
  const handle = bot.handleUpdate.bind(bot);
  bot.handleUpdate = async (update, webhookReplyEnvelope) => {
    const kind = updateKind(update);
    const end = updateSeconds.startTimer({ kind });
    try {
      const result = await handle(update, webhookReplyEnvelope);
      updatesHandled.inc({ kind, outcome: 'ok' });
      return result;
    } catch (err) {
      updatesHandled.inc({ kind, outcome: 'error' });
      throw err;
    } finally {
      end();
    }
  };
}
