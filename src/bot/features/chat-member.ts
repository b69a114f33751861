/** Notices when a user blocks or unblocks the bot, so senders skip blocked users. */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

export function chatMember({ users, clock }: BotDeps) {
  const composer = new Composer<BotContext>();
  composer.on('my_chat_member', async (ctx) => {
    if (!ctx.user) return;
    const status = ctx.myChatMember.new_chat_member.status;
    await users.setBlocked(ctx.user.id, status === 'kicked' || status === 'left', clock());
  });
  return composer;
}
