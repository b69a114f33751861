/**
 * Local mode's Bot API stand-in keeps bounded memory: each chat its newest messages, a
 * bounded number of chats (least recently used dropped first, never one a page waits
 * on), a bounded call log and bounded uploads. Driven through its `fetch`, as grammY
 * calls it.
 */
import { describe, expect, it } from 'vitest';
import { createFakeBotApi } from '../../src/local/fake-bot-api.js';
import { LOCAL_BOT_INFO } from '../../src/local/local-bot.js';

const limits = { maxMessagesPerChat: 5, maxChats: 3, maxCalls: 10, maxFiles: 2 };

async function send(api: ReturnType<typeof createFakeBotApi>, chatId: number, text: string) {
  const res = await api.fetch('https://api.telegram.org/bot1:x/sendMessage', { method: 'POST', body: JSON.stringify({ chat_id: chatId, text }) });
  return (await res.json()) as { ok: boolean; result?: { message_id: number } };
}

describe('the Bot API stand-in keeps bounded memory', () => {
  it('keeps the newest messages of a chat, in order', async () => {
    const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, limits });
    for (let i = 1; i <= 12; i++) expect((await send(api, 7, `m${i}`)).ok).toBe(true);
    const view = api.view(7);
    expect(view.messages.map((m) => m.html)).toEqual(['m8', 'm9', 'm10', 'm11', 'm12']);
    expect(view.revision).toBe(12);
    // The newest message can still be edited; the dropped ones answer as Telegram does for a missing message.
    const edit = async (id: number) =>
      (await api.fetch('https://api.telegram.org/bot1:x/editMessageText', { method: 'POST', body: JSON.stringify({ chat_id: 7, message_id: id, text: 'edited' }) })).status;
    expect(await edit(12)).toBe(200);
    expect(await edit(1)).toBe(400);
  });

  it('drops the least recently used chat beyond the bound, never one a page is waiting on', async () => {
    const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, limits });
    await send(api, 1, 'a');
    const waiting = api.waitForChange(1, 1, 60_000);
    await send(api, 2, 'b');
    await send(api, 3, 'c');
    await send(api, 2, 'b2'); // chat 2 used again: chat 3 is now the least recently used after 1
    await send(api, 4, 'd');
    expect(api.size().chats).toBe(3);
    expect(api.view(1).messages.map((m) => m.html)).toEqual(['a']); // kept: its page waits
    await send(api, 1, 'a2');
    expect((await waiting).messages.map((m) => m.html)).toEqual(['a', 'a2']);
    expect(api.view(2).messages.map((m) => m.html)).toEqual(['b', 'b2']);
    expect(api.view(4).messages.map((m) => m.html)).toEqual(['d']);
  });

  it('keeps a bounded log of calls and of uploaded files', async () => {
    const api = createFakeBotApi({ botInfo: LOCAL_BOT_INFO, limits });
    for (let i = 0; i < 2000; i++) await send(api, 9, `x${i}`);
    expect(api.calls.length).toBeLessThanOrEqual(limits.maxCalls + 1000);
    expect(api.calls.at(-1)?.payload.text).toBe('x1999');
    const files = [1, 2, 3].map((n) => api.putFile(new Uint8Array([n]), 'photos', 'jpg'));
    expect(api.size().files).toBe(2);
    expect(new Set(files.map((f) => f.path)).size).toBe(3);
    const got = async (fileId: string) => (await api.fetch('https://api.telegram.org/bot1:x/getFile', { method: 'POST', body: JSON.stringify({ file_id: fileId }) })).status;
    expect(await got(files[0]!.fileId)).toBe(400);
    expect(await got(files[2]!.fileId)).toBe(200);
  });
});
