/**
 * The baseline of `npm run bench:cold-start`: a bare grammY bot behind Fastify, plain
 * JavaScript, answering /start through an in-process Bot API stand-in at the same
 * route as Pravo's local mode (POST /local/updates → the Bot API calls made).
 */
import Fastify from 'fastify';
import { Bot } from 'grammy';

const calls = [];
const fetchStub = async (url, init) => {
  calls.push({ method: String(url).split('/').pop(), payload: JSON.parse(String(init?.body ?? '{}')) });
  const result = { message_id: calls.length, date: Math.floor(Date.now() / 1000), chat: { id: 1, type: 'private' }, text: '' };
  return new Response(JSON.stringify({ ok: true, result }), { headers: { 'content-type': 'application/json' } });
};
const bot = new Bot('1:bare', {
  botInfo: { id: 1, is_bot: true, first_name: 'Bare', username: 'bare_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false },
  client: { fetch: fetchStub },
});
bot.command('start', (ctx) => ctx.reply('Hello', { reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } }));
let updateId = 1;
const app = Fastify();
app.post('/local/updates', async (req) => {
  calls.length = 0;
  const body = req.body;
  await bot.handleUpdate({ update_id: updateId++, ...body, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), ...body.message } });
  return { ok: true, calls: [...calls] };
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
