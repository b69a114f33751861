import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowResults } from '../../src/db/schema/index.js';
import { createHarness, type Harness, onboard } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const t = (lng: string, key: string, opts?: Record<string, unknown>) =>
  h.container.translator.forLanguage(lng as 'ru')(key, opts);

describe('first contact', () => {
  it('asks for the language first, offering all seven', async () => {
    await h.send(1001, '/start', { languageCode: 'uz' });
    expect(h.last(1001).buttons).toEqual(['Русский', 'Oʻzbekcha', 'Тоҷикӣ', 'Кыргызча', 'Azərbaycanca', 'Română', 'English']);
  });

  it('stores nothing but the language until the user agrees', async () => {
    await h.press(1001, 'l:tg');
    const user = await h.container.users.find(1001);
    expect(user).toMatchObject({ language: 'tg', consentedAt: null });
    expect(h.last(1001).html).toBe(t('tg', 'consent.text'));
    expect(h.last(1001).html).not.toBe(t('ru', 'consent.text'));
    // Before consent, a topic cannot be opened: the consent screen comes back.
    await h.send(1001, 'патент');
    expect(h.last(1001).html).toContain(t('tg', 'consent.required'));
    expect((await h.container.flowService.current(1001)).kind).toBe('no-run');
  });

  it('shows the main menu in the chosen language after "I agree"', async () => {
    await h.press(1001, 'c:y');
    expect((await h.container.users.find(1001))?.consentedAt).toBeInstanceOf(Date);
    const menu = h.last(1001);
    expect(menu.html).toBe(t('tg', 'menu.title'));
    for (const flow of h.container.flows.list) expect(menu.data).toContain(`f:${flow.id}`);
    expect(menu.buttons).toContain(t('tg', 'menu.lawyer'));
  });

  it('lets the user decline, keeping only the language', async () => {
    await h.send(1002, '/start');
    await h.press(1002, 'l:ro');
    await h.press(1002, 'c:n');
    expect(h.last(1002).html).toBe(t('ro', 'consent.declined'));
    expect((await h.container.users.find(1002))?.consentedAt).toBeNull();
  });

  it('changes the language at any time with /language', async () => {
    await onboard(h, 1003, 'en');
    await h.send(1003, '/language');
    await h.press(1003, 'l:ky');
    expect(h.last(1003).html).toBe(t('ky', 'menu.title'));
    await h.send(1003, '/help');
    expect(h.last(1003).html).toBe(t('ky', 'help.text'));
  });
});

describe('/forget', () => {
  it('deletes everything after confirmation and says so', async () => {
    await onboard(h, 1004, 'az');
    await h.press(1004, `f:${h.container.flows.list[0]!.id}`);
    expect((await h.container.flowService.current(1004)).kind).toBe('screen');
    await h.send(1004, '/forget');
    expect(h.last(1004).html).toBe(t('az', 'forget.confirm'));
    await h.press(1004, 'x:y');
    expect(h.last(1004).html).toBe(t('az', 'forget.done'));
    expect(await h.container.users.find(1004)).toBeUndefined();
    expect((await h.container.flowService.current(1004)).kind).toBe('no-run');
    const [row] = await h.container.database.db.select({ n: count() }).from(flowResults).where(eq(flowResults.userId, 1004));
    expect(row?.n).toBe(0);
  });

  it('keeps everything when the user says no', async () => {
    await onboard(h, 1005, 'ru');
    await h.send(1005, '/forget');
    await h.press(1005, 'x:n');
    expect(h.last(1005).html).toBe(t('ru', 'forget.cancelled'));
    expect(await h.container.users.find(1005)).toBeDefined();
  });
});

describe('odd input', () => {
  it('answers a photo with a translated explanation', async () => {
    await onboard(h, 1006, 'uz');
    await h.update({
      message: { message_id: 99, date: 0, chat: { id: 1006, type: 'private' }, from: { id: 1006, is_bot: false, first_name: 'A' }, photo: [{ file_id: 'x', file_unique_id: 'y', width: 1, height: 1 }] },
    });
    expect(h.last(1006).html).toBe(t('uz', 'unsupported'));
  });

  it('ignores group chats and updates without a sender without crashing', async () => {
    const before = h.api.calls.length;
    await h.update({ message: { message_id: 1, date: 0, chat: { id: -100, type: 'group', title: 'g' }, from: { id: 1007, is_bot: false, first_name: 'A' }, text: '/start' } });
    await h.update({ channel_post: { message_id: 1, date: 0, chat: { id: -200, type: 'channel', title: 'c' }, text: 'hi' } });
    await h.update({ edited_message: { message_id: 1, date: 0, edit_date: 1, chat: { id: 1006, type: 'private' }, from: { id: 1006, is_bot: false, first_name: 'A' }, text: 'x' } });
    expect(h.api.calls.length).toBe(before);
  });

  it('answers a button it does not know with "this menu has expired" and the menu', async () => {
    await h.update({
      callback_query: { id: 'q1', from: { id: 1006, is_bot: false, first_name: 'A' }, chat_instance: 'i', data: 'zz:unknown', message: { message_id: 1, date: 0, chat: { id: 1006, type: 'private' } } },
    });
    const answer = h.api.calls.findLast((c) => c.method === 'answerCallbackQuery');
    expect(answer?.payload.text).toBe(t('uz', 'expired'));
    expect(h.last(1006).html).toBe(t('uz', 'menu.title'));
  });

  it('suggests topics for free text by keywords in the user’s language and in Russian', async () => {
    await h.send(1006, 'Patent qancha turadi?');
    expect(h.last(1006).html).toBe(t('uz', 'free-text.matched'));
    expect(h.last(1006).data).toContain('f:work-patent');
    await h.send(1006, 'как продлить патент');
    expect(h.last(1006).data).toContain('f:work-patent');
    await h.send(1006, 'x'.repeat(4096));
    expect(h.last(1006).html).toContain(t('uz', 'free-text.unmatched'));
  });

  it('marks a user who blocked the bot, and unmarks them when they return', async () => {
    const member = (status: string) => ({
      my_chat_member: {
        chat: { id: 1006, type: 'private' },
        from: { id: 1006, is_bot: false, first_name: 'A' },
        date: 0,
        old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'P' } },
        new_chat_member: { status, user: { id: 1, is_bot: true, first_name: 'P' }, ...(status === 'kicked' ? { until_date: 0 } : {}) },
      },
    });
    await h.update(member('kicked'));
    expect((await h.container.users.find(1006))?.blockedAt).toBeInstanceOf(Date);
    await h.update(member('member'));
    expect((await h.container.users.find(1006))?.blockedAt).toBeNull();
  });
});
