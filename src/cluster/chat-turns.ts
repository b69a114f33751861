/**
 * Per-chat order across bot processes (cluster mode): every update is handled
 * while its process holds the chat's lock, and the lock is let go only once what
 * the update wrote behind (the flow run, facts, outcomes) and the record that it
 * was handled are in the database. So the next update of the chat, whichever
 * process it reaches, starts from the state this one left, and a redelivery of
 * this update (same id, any process) is found and dropped.
 *
 * Why a lock and not routing by chat id: Telegram's webhook posts go through
 * whatever balancer the NGO has (nginx, Caddy, a cloud's), and processes are
 * restarted and added at any time; a lock needs nothing from the balancer.
 *
 * The lock is the chat's row in `chat_turns`, taken in one statement at the start
 * of a transaction on a pool of its own (waiting for a lock never takes a
 * connection the handler needs; a lost connection releases the lock):
 * - the upsert of the row locks it until the transaction ends, so a second
 *   process taking the same chat waits there, then sees the row as the first one
 *   left it (ON CONFLICT works on the newest version of the row, not on the
 *   statement's snapshot), including which process took the turn before: if
 *   another process did, the user's cached state is dropped here first;
 * - the same statement records the update as handled (ON CONFLICT DO NOTHING
 *   also sees a record committed a moment ago): nothing inserted means a repeat.
 *   The record commits with the turn, so an update that fails (the database went
 *   away) is not recorded and is handled when delivered again.
 * BEGIN and this statement in one round trip, then the handler, then the user's queued writes
 * (settle), then COMMIT. The lock pool commits without waiting for the disk
 * (synchronous_commit off): a PostgreSQL crash may forget the last turns, records
 * and flow steps together (Telegram has had its answer: the user's next tap finds
 * the step before and is told the menu expired), as a process crash already may.
 *
 * Nothing the handler runs may write the chat's row: its queries (main pool) would
 * wait for this transaction, which waits for them. That is why /forget's removal
 * of the row happens here, at the end.
 */
import type postgres from 'postgres';
import { InfrastructureError } from '../lib/infrastructure-errors.js';

export interface ChatTurn {
  /** The update was handled already (by any process): drop it. */
  seen: boolean;
}

export interface ChatTurnRequest {
  chatId: number;
  source: string;
  updateId: number;
  at: Date;
}

export interface ChatTurnsDeps {
  /** The lock pool (synchronous_commit off). */
  sql: postgres.Sql;
  /** This process's name in `chat_turns`. */
  instance: string;
  /** Forgets the user in this process's cache (not announced). */
  drop(userId: number): void;
  /** Whether this process keeps the user in its cache (a user who is gone is not kept). */
  cached(userId: number): boolean;
  /** Waits until the user's writes behind the reply are stored. */
  settle(userId: number): Promise<void>;
}

export interface ChatTurns {
  /**
   * Runs `handle` holding the chat's lock. `handle` returns whether it handled the
   * update; it throws to leave the update unrecorded (the transaction rolls back).
   */
  run(req: ChatTurnRequest, handle: (turn: ChatTurn) => Promise<boolean>): Promise<void>;
}

export function createChatTurns({ sql, instance, drop, cached, settle }: ChatTurnsDeps): ChatTurns {
  return {
    async run(req, handle) {
      const chat = String(req.chatId);
      // A reserved connection rather than sql.begin: BEGIN goes out with the turn, one round trip.
      const tx = await sql.reserve();
      try {
        const [, [row]] = await Promise.all([
          tx`begin`,
          tx<{ previous: string | null; fresh: boolean }[]>`
            with turn as (
              insert into chat_turns as t (chat_id, instance, previous, at) values (${chat}::bigint, ${instance}, null, now())
              on conflict (chat_id) do update set previous = t.instance, instance = excluded.instance, at = excluded.at
              returning previous
            ),
            claim as (
              insert into processed_updates (source, update_id, handled_at) values (${req.source}, ${req.updateId}, ${req.at.toISOString()}::timestamptz)
              on conflict do nothing
              returning 1
            )
            select (select previous from turn) as previous, exists(select 1 from claim) as fresh`,
        ]);
        if (row?.previous !== instance) drop(req.chatId);
        if (!row?.fresh) {
          await handle({ seen: true });
        } else {
          // A throw rolls back the record with the turn: the update is handled again when it comes again.
          if (!(await handle({ seen: false }))) throw new Error('an update claimed for handling was not handled');
          try {
            await settle(req.chatId);
          } catch (err) {
            // Not stored, so not recorded either: the update is deferred (delivered again), never lost.
            throw new InfrastructureError('the update’s flow state could not be stored before the chat’s lock is released', { cause: err });
          }
          // After /forget, no row naming the chat of a user who is gone (a user this process keeps exists).
          if (!cached(req.chatId)) {
            await tx`delete from chat_turns where chat_id = ${chat}::bigint and not exists (select 1 from users where id = ${chat}::bigint)`;
          }
        }
        await tx`commit`;
      } catch (err) {
        await tx`rollback`.catch(() => {});
        throw err;
      } finally {
        tx.release();
      }
    },
  };
}
