/**
 * getUpdates as Telegram answers it, in front of the fake Bot API: an offset
 * confirms (forgets) every update below it for good, and the updates at or above
 * it are returned again until confirmed. Every other method goes to the fake Bot
 * API, so the chats are seen as the user sees them.
 */
import type { Update } from 'grammy/types';
import type { FakeBotApi } from '../../src/local/fake-bot-api.js';

export interface PollingStandIn {
  fetch: typeof fetch;
  /** Updates Telegram holds for the bot (not yet confirmed). */
  push(...updates: Update[]): void;
  /** The highest offset the bot has sent: everything below it is confirmed. */
  readonly confirmed: number;
  /** How many getUpdates calls were answered. */
  readonly polls: number;
}

/** How long an empty long poll is held (short, so tests move on quickly). */
const EMPTY_POLL_MS = 50;

export function createPollingStandIn(api: FakeBotApi): PollingStandIn {
  let held: Update[] = [];
  let confirmed = 0;
  let polls = 0;
  const json = (result: unknown) => new Response(JSON.stringify({ ok: true, result }), { headers: { 'content-type': 'application/json' } });
  const standIn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith('/getUpdates')) return api.fetch(input, init);
    const body = init?.body ? JSON.parse(String(init.body)) : {};
    confirmed = Math.max(confirmed, Number(body.offset ?? 0));
    held = held.filter((u) => u.update_id >= confirmed);
    polls++;
    if (!held.length) await new Promise((r) => setTimeout(r, EMPTY_POLL_MS));
    return json(held.slice(0, Number(body.limit ?? 100)));
  }) as typeof fetch;
  return {
    fetch: standIn,
    push: (...updates) => {
      held.push(...updates);
      held.sort((a, b) => a.update_id - b.update_id);
    },
    get confirmed() {
      return confirmed;
    },
    get polls() {
      return polls;
    },
  };
}
