/** A broadcast sender over the harness's database and Bot API stand-in. */
import { Api } from 'grammy';
import { createBroadcastSender } from '../../src/broadcasts/broadcast-sender.js';
import { LOCAL_BOT_TOKEN } from '../../src/local/local-bot.js';
import { createLogger } from '../../src/logger.js';
import type { Harness } from './harness.js';

/** `onSend`: called as each sendMessage reaches the Bot API stand-in (to time the sends). */
export function senderFor(h: Harness, rate = 1000, onSend?: () => void) {
  const fetch: typeof h.api.fetch = (input, init) => {
    if (onSend && String(input).endsWith('/sendMessage')) onSend();
    return h.api.fetch(input, init);
  };
  return createBroadcastSender({
    db: h.database.db,
    api: new Api(LOCAL_BOT_TOKEN, { fetch }),
    alertsService: h.container.alerts,
    translator: h.container.translator,
    clock: h.clock,
    logger: createLogger('silent'),
    onBlocked: (userId) => h.container.users.setBlocked(userId, true, h.clock()),
    rate,
  });
}
