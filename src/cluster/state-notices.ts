/**
 * Keeps the user-state cache coherent across bot processes (cluster mode): a
 * write that invalidates a user here (a lawyer closing a case in the console, a
 * sender marking a user blocked, a language change) is announced on a PostgreSQL
 * channel, and every other process drops that user from its cache when it hears it.
 *
 * Announcements are sent after the write has committed (that is when the cache is
 * invalidated), gathered for a moment so a burst costs one statement. A process
 * ignores its own. LISTEN runs on a connection of its own; postgres.js re-listens
 * after the connection is lost, and as announcements sent meanwhile were missed,
 * the whole cache is dropped at every (re)listen.
 *
 * What this does not cover: the very moment between another process's commit and
 * the announcement arriving (milliseconds). Inside one chat that cannot matter:
 * the chat's turn (chat-turns.ts) drops the user when another process handled the
 * chat last. It can matter only for a write by someone else (a lawyer) landing
 * within milliseconds of the user's next message, as in one process a write landing
 * just after the message was read.
 */
import type postgres from 'postgres';
import type { Logger } from '../logger.js';

export const USER_STATE_CHANNEL = 'pravo_user_state';
/** NOTIFY payloads are limited to 8,000 bytes: ids go in chunks of this many. */
const IDS_PER_NOTICE = 400;

export interface StateNoticesDeps {
  sql: postgres.Sql;
  instance: string;
  logger: Logger;
  /** Forgets a user here (not announced again). */
  drop(userId: number): void;
  /** Forgets everyone here. */
  clear(): void;
}

export interface StateNotices {
  /** Starts listening; resolves once the first LISTEN is in place. */
  start(): Promise<void>;
  /** Queues an announcement that the user changed (after the write committed). */
  announce(userId: number): void;
  /** Sends what is queued. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** `<instance> <id>,<id>,…`: who announced it, and the users. */
export function parseNotice(payload: string): { from: string; ids: number[] } | undefined {
  const space = payload.lastIndexOf(' ');
  if (space <= 0) return undefined;
  const ids = payload
    .slice(space + 1)
    .split(',')
    .map(Number)
    .filter((n) => Number.isSafeInteger(n));
  return { from: payload.slice(0, space), ids };
}

export function createStateNotices({ sql, instance, logger, drop, clear }: StateNoticesDeps): StateNotices {
  let queued = new Set<number>();
  let sending: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let stopped = false;

  async function send(): Promise<void> {
    while (queued.size) {
      const ids = [...queued];
      queued = new Set();
      for (let i = 0; i < ids.length; i += IDS_PER_NOTICE) {
        const payload = `${instance} ${ids.slice(i, i + IDS_PER_NOTICE).join(',')}`;
        try {
          await sql`select pg_notify(${USER_STATE_CHANNEL}, ${payload})`;
        } catch (err) {
          // The others' caches still expire (5 min), and drop everything when their listen reconnects.
          logger.warn({ error: (err as Error)?.name, users: ids.length }, 'user-state announcement not sent');
        }
      }
    }
  }
  function schedule() {
    if (sending || stopped) return;
    sending = new Promise<void>((r) => setImmediate(r))
      .then(send)
      .finally(() => {
        sending = undefined;
        if (queued.size) schedule();
      });
  }

  return {
    async start() {
      const listening = await sql.listen(
        USER_STATE_CHANNEL,
        (payload) => {
          const notice = parseNotice(payload);
          if (!notice || notice.from === instance) return;
          for (const id of notice.ids) drop(id);
        },
        () => {
          // First listen, or again after the connection was lost: anything may have been missed.
          clear();
          logger.info('listening for other processes’ user-state changes');
        },
      );
      unlisten = listening.unlisten;
    },
    announce(userId) {
      queued.add(userId);
      schedule();
    },
    async flush() {
      while (sending) await sending;
    },
    async stop() {
      await this.flush();
      stopped = true;
      await unlisten?.().catch(() => {});
    },
  };
}
