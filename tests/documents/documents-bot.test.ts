/**
 * "📄 Russian text of …" under an answer, through the Bot API stand-in: the bot sends the
 * explanation in the user's language, the Russian text to copy, and a PDF (fonts embedded)
 * whose text carries the facts the user gave and visible blanks for the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/http/app.js';
import type { UploadedFile } from '../../src/local/fake-bot-api.js';
import { createHarness, createTestClock, type Harness, onboard } from '../helpers/harness.js';
import { doStep } from '../helpers/walk.js';
import { embedsTrueTypeFonts, pdfText } from './pdf-text.js';

const clock = createTestClock('2026-12-06T10:00:00+03:00');
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ clock });
});
afterAll(async () => {
  await h.close();
});

const sentDocuments = (userId: number) =>
  h.api.calls.filter((c) => c.method === 'sendDocument' && Number(c.payload.chat_id) === userId).map((c) => c.payload.document as UploadedFile);

describe('Russian documents under an answer', () => {
  it('sends the wage claim filled with the contract date and the payday, blanks for the rest, as text and as a PDF (Russian user)', async () => {
    const ru = h.container.translator.forLanguage('ru');
    const user = 81_001;
    await onboard(h, user, 'ru');
    await h.press(user, 'f:labour');
    await doStep(h, user, 'labour', { choose: 'wages' });
    await doStep(h, user, 'labour', { enter: '15.03.2025' });
    await doStep(h, user, 'labour', { enter: '10.01.2026' });
    const answer = h.last(user);
    expect(answer.html).toContain('10.01.2027');
    // The calendar caveat names the year the dates reach (2027), not the advised day's year.
    expect(answer.html).toContain(ru('outcome.provisional', { year: 2027 }));
    expect(answer.html).not.toContain(ru('outcome.provisional', { year: 2026 }));
    const label = ru('documents.button', { title: ru('documents.wage-claim.title', { ns: 'flows' }) });
    expect(answer.buttons).toContain(label);

    const before = h.texts(user).length;
    await h.press(user, label);
    const texts = h.texts(user).slice(before);
    // (a) the explanation in the user's language, (b) the Russian text to copy, (c) the PDF.
    expect(texts[0]).toContain(ru('documents.wage-claim.explanation', { ns: 'flows' }).slice(0, 60));
    expect(texts[0]).toContain(ru('documents.blanks'));
    expect(texts[1]!.startsWith('<pre>')).toBe(true);
    expect(texts[1]).toContain('Я работаю (работал(а)) у вас с 15.03.2025.');
    expect(texts[1]).toContain('должны были выплатить 10.01.2026');
    expect(texts[1]).toContain('Долг: ________ руб. за ________.');
    expect(texts[1]).toContain('↑ сумма долга в рублях; за какие месяцы');
    expect(texts[1]).toContain('Дата: 06.12.2026');

    const [pdf] = sentDocuments(user);
    expect(pdf?.name).toBe('wage-claim.pdf');
    expect(Buffer.from(pdf!.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(embedsTrueTypeFonts(pdf!.bytes)).toBe(true);
    const text = await pdfText(pdf!.bytes);
    expect(text).toContain('ПРЕТЕНЗИЯ');
    expect(text).toContain('15.03.2025');
    expect(text).toContain('10.01.2026');
    expect(text).toContain('________');
    expect(text).toContain('сумма долга в рублях');
    // The chat shows the file with its caption, as Telegram would.
    const shown = h.api.view(user).messages.at(-1)!;
    expect(shown.document).toMatchObject({ fileName: 'wage-claim.pdf', mimeType: 'application/pdf' });
    expect(shown.html).toContain(ru('documents.wage-claim.title', { ns: 'flows' }));
  });

  it('produces the passport demand with visible blanks when nothing is known, explained in Uzbek', async () => {
    const uz = h.container.translator.forLanguage('uz');
    const user = 81_002;
    await onboard(h, user, 'uz');
    await h.press(user, 'f:sos');
    await doStep(h, user, 'sos', { choose: 'passport' });
    await doStep(h, user, 'sos', { choose: 'employer' });
    const label = uz('documents.button', { title: uz('documents.passport-return.title', { ns: 'flows' }) });
    expect(h.last(user).buttons).toContain(label);
    const before = h.texts(user).length;
    await h.press(user, label);
    const texts = h.texts(user).slice(before);
    expect(texts[0]).toContain(uz('documents.passport-return.explanation', { ns: 'flows' }).slice(0, 60));
    expect(texts[1]).toContain('Я работаю у вас с ________.');
    expect(texts[1]).toContain('↑ дата трудового договора или первый день работы');
    const [pdf] = sentDocuments(user);
    const text = await pdfText(pdf!.bytes);
    expect(text).toContain('ТРЕБОВАНИЕ');
    expect(text).toContain('Я работаю у вас с ________');
  });

  it('fills the interpreter request with the time the user was brought in', async () => {
    const user = 81_003;
    await onboard(h, user, 'en');
    const en = h.container.translator.forLanguage('en');
    await h.press(user, 'f:sos');
    await doStep(h, user, 'sos', { choose: 'held' });
    await doStep(h, user, 'sos', { enter: '06.12.2026 08:15' });
    await doStep(h, user, 'sos', { choose: 'other' });
    await h.press(user, en('documents.button', { title: en('documents.interpreter-request.title', { ns: 'flows' }) }));
    const [pdf] = sentDocuments(user);
    const text = await pdfText(pdf!.bytes);
    expect(text).toContain('06.12.2026 08:15');
    expect(text).toContain('переводчике');
  });

  it('answers a button for a template that no longer exists with "expired", not a crash', async () => {
    const user = 81_001;
    const calls = h.api.calls.length;
    await h.update({ update_id: 9_999_001, callback_query: { id: 'x1', from: { id: user, is_bot: false, first_name: 'T' }, chat_instance: 't', data: 'rd:no-such-doc', message: { message_id: 1, date: 0, chat: { id: user, type: 'private' } } } });
    const answered = h.api.calls.slice(calls).find((c) => c.method === 'answerCallbackQuery');
    expect(answered?.payload.text).toBe(h.container.translator.forLanguage('ru')('expired'));
    expect(h.api.calls.slice(calls).some((c) => c.method === 'sendDocument')).toBe(false);
  });
});

describe('local mode', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildHttpApp({ container: h.container, bot: h.bot, local: { api: h.api } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('accepts the multipart sendDocument and lets the browser chat open the PDF', async () => {
    const from = { id: 81_004, first_name: 'Алишер', language_code: 'uz' };
    const chat = { id: 81_004, type: 'private' };
    // Update ids of their own: the harness's updates above used the low ones (repeats are dropped).
    let updateId = 9_100_000;
    const post = (body: object) => app.inject({ method: 'POST', url: '/local/updates', payload: { update_id: updateId++, ...body } });
    const press = async (data: string) => {
      const view = (await app.inject(`/local/chats/${chat.id}`)).json();
      const message = [...view.messages].reverse().find((m: { buttons: { callback_data?: string }[][] }) => m.buttons.flat().some((b) => b.callback_data === data));
      if (!message) throw new Error(`no button ${data} in ${JSON.stringify(view.messages.map((m: { html: string; buttons: unknown }) => [m.html.slice(0, 60), m.buttons]))}`);
      return post({ callback_query: { from, data, message: { message_id: message.id, chat } } });
    };
    await post({ message: { chat, from, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });
    const start = (await app.inject(`/local/chats/${chat.id}`)).json();
    // The language may be taken from Telegram's language_code; otherwise pick it.
    if (JSON.stringify(start).includes('"l:uz"')) await press('l:uz');
    await press('c:y');
    await press('f:labour');
    const flow = h.container.flows.get('labour')!;
    await press(`q:labour:${flow.version}:what:0`);
    await post({ message: { chat, from, text: '02.11.2026' } });
    const res = await press('rd:passport-return');
    const calls = res.json().calls as { method: string; payload: Record<string, unknown> }[];
    const doc = calls.find((c) => c.method === 'sendDocument');
    // The answer shows the file's name and size, not its bytes.
    expect(doc?.payload.document).toMatchObject({ file_name: 'passport-return.pdf', file_size: expect.any(Number) });
    const view = (await app.inject(`/local/chats/${chat.id}`)).json();
    const shown = view.messages.at(-1);
    expect(shown.document.fileName).toBe('passport-return.pdf');
    const file = await app.inject(`/local/files/${shown.document.fileId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await pdfText(new Uint8Array(file.rawPayload))).toContain('02.11.2026');
    expect((await app.inject('/local/files/LocalFile_404_nothing')).statusCode).toBe(404);
  });
});
