/** The bot's identity in local mode (and tests): no Telegram account behind it. */
import type { UserFromGetMe } from 'grammy/types';

export const LOCAL_BOT_TOKEN = '1:local-mode-no-telegram';
export const LOCAL_BOT_INFO = {
  id: 1,
  is_bot: true,
  first_name: 'Pravo',
  username: 'pravo_local_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;
