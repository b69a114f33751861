/**
 * Per-chat order across bot processes (cluster mode): every update is handled
 * while its process holds the chat's PostgreSQL advisory lock, and the lock is let
 * go only once what the update wrote behind (the flow run, facts, outcomes) and
 * the record that it was handled are in the database. So the next update of the
 * chat, whichever process it reaches, starts from the state this one left, and a
 * redelivery of this update (same id, any process) is found and dropped.
 *
 * Why a lock and not routing by chat id: Telegram's webhook posts go through
 * whatever balancer the NGO has (nginx, Caddy, a cloud's), and a process may be
 * restarted or added at any time; a lock needs nothing from the balancer.
 *
 * The lock is a transaction-scoped advisory lock (`pg_advisory_xact_lock`) on a
 * pool of its own: a lost connection releases it, and waiting for a lock never
 * takes a connection the handler needs (the handler uses the main pool). In the
 * same transaction, right after the lock, one statement reads whether the update
 * was handled already and which process took the chat's last turn
 * (`chat_turns`), and takes this turn: if another process took it, the user's
 * cached state is dropped here before the update reads it. The turn's row stays
 * locked until the end, so nothing the handler runs may write it: the handler's
 * own queries (main pool) would wait for this transaction, which waits for them.
 * That is why /forget's removal of the row happens here, at the end.
 */
import type postgres from 'postgres';
import { InfrastructureError } from '../lib/infrastructure-errors.js';

/** Advisory lock class for chats (the second key is hashtext of the chat id). */
export const CHAT_LOCK_CLASS = 0x50_72_61_77; // "Praw"

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
  sql: postgres.Sql;
  /** This process's name in `chat_turns`. */
  instance: string;
  /** Forgets the user in this process's cache (not announced). */
  drop(userId: number): void;
  /** Waits until the user's writes behind the reply are stored. */
  settle(userId: number): Promise<void>;
}

export interface ChatTurns {
  /**
   * Runs `handle` holding the chat's lock. `handle` returns whether it handled the
   * update (then its record is written before the lock goes); it throws to leave
   * the update unrecorded (the transaction rolls back).
   */
  run(req: ChatTurnRequest, handle: (turn: ChatTurn) => Promise<boolean>): Promise<void>;
}

export function createChatTurns({ sql, instance, drop, settle }: ChatTurnsDeps): ChatTurns {
  return {
    async run(req, handle) {
      const chat = String(req.chatId);
      await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${CHAT_LOCK_CLASS}, hashtext(${chat}))`;
        // After the lock, so this statement sees everything the previous holder committed.
        const [row] = await tx<{ prev: string | null; seen: boolean }[]>`
          with prev as (select instance from chat_turns where chat_id = ${chat}::bigint),
          mine as (
            insert into chat_turns (chat_id, instance, at) values (${chat}::bigint, ${instance}, now())
            on conflict (chat_id) do update set instance = excluded.instance, at = excluded.at
            where chat_turns.instance <> excluded.instance
          )
          select (select instance from prev) as prev,
            exists(select 1 from processed_updates where source = ${req.source} and update_id = ${req.updateId}) as seen`;
        if (row?.prev !== instance) drop(req.chatId);
        const handled = await handle({ seen: row?.seen ?? false });
        if (!handled) return;
        try {
          await settle(req.chatId);
        } catch (err) {
          // Not stored, so not recorded either: the update is deferred (delivered again), never lost.
          throw new InfrastructureError('the update’s flow state could not be stored before the chat’s lock is released', { cause: err });
        }
        // The record, and (after /forget) no row naming the chat of a user who is gone.
        await tx`
          with handled as (
            insert into processed_updates (source, update_id, handled_at) values (${req.source}, ${req.updateId}, ${req.at}) on conflict do nothing
          )
          delete from chat_turns where chat_id = ${chat}::bigint and not exists (select 1 from users where id = ${chat}::bigint)`;
      });
    },
  };
}
