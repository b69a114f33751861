/**
 * What migrants attach reaches the lawyer: a voice message sent while writing to a
 * lawyer joins the question (or is the question), photos and documents go with it,
 * and the console streams them from the Bot API (`getFile`) to an authorised lawyer
 * with a safe content type, each view in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, createApiClient } from '../helpers/api.js';
import { createHarness, type Harness, onboard } from '../helpers/harness.js';

let h: Harness;
let api: ApiClient;
beforeAll(async () => {
  h = await createHarness();
  api = await createApiClient(h);
});
afterAll(async () => {
  await api.app.close();
  await h.close();
});

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const OGG = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 9, 9, 9]);
const HTML_DOC = new TextEncoder().encode('<script>alert(1)</script>');

/** The user sends a photo, voice message or document, as Telegram delivers it. */
async function sendMedia(userId: number, media: Record<string, unknown>) {
  const id = h.api.recordUserMessage(userId, '📎');
  await h.update({
    message: { message_id: id, date: Math.floor(h.clock().getTime() / 1000), chat: { id: userId, type: 'private', first_name: 'T' }, from: { id: userId, is_bot: false, first_name: 'T' }, ...media },
  });
}
const photo = (fileId: string, caption?: string) => ({ photo: [{ file_id: `${fileId}small`, file_unique_id: 's', width: 90, height: 90 }, { file_id: fileId, file_unique_id: 'b', width: 800, height: 600 }], ...(caption ? { caption } : {}) });
const voice = (fileId: string) => ({ voice: { file_id: fileId, file_unique_id: 'v', duration: 7, mime_type: 'audio/ogg' } });
const uz = (key: string, o?: Record<string, unknown>) => h.container.translator.forLanguage('uz')(key, o);
const lawyer = () => api.as(api.tokens.lawyer);

let caseId: number;
let question: { id: number; attachments: { index: number; kind: string; url: string }[] };

describe('a question with a photo and a voice message', () => {
  it('joins a voice message to the question being written and shows it in the preview', async () => {
    await onboard(h, 97_001, 'uz');
    await h.press(97_001, 'a');
    const p = h.api.putFile(JPEG, 'photos', 'jpg');
    await sendMedia(97_001, photo(p.fileId, 'Mana patentim'));
    const v = h.api.putFile(OGG, 'voice', 'oga');
    await sendMedia(97_001, voice(v.fileId));
    const preview = h.last(97_001).html;
    expect(preview).toContain('Mana patentim');
    expect(preview).toContain(uz('cases.preview-photos', { count: 1 }));
    expect(preview).toContain(uz('attachments.preview-voice', { count: 1 }));
    await h.press(97_001, 'cs');
    caseId = Number(/#(\d+)/.exec(h.last(97_001).html)?.[1]);
    const view = (await lawyer().get(`/api/cases/${caseId}`)).body;
    question = view.messages[0];
    expect(question.attachments.map((a) => a.kind)).toEqual(['photo', 'voice']);
  });

  it('streams the photo to a lawyer from the Bot API with a safe content type', async () => {
    const res = await api.app.inject({ url: question.attachments[0]!.url, headers: { authorization: `Bearer ${api.tokens.lawyer}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="file_\d+\.jpg"$/);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(new Uint8Array(res.rawPayload)).toEqual(JPEG);
  });

  it('plays the voice message as audio/ogg', async () => {
    const res = await api.app.inject({ url: question.attachments[1]!.url, headers: { authorization: `Bearer ${api.tokens.lawyer}` } });
    expect(res.headers['content-type']).toBe('audio/ogg');
    expect(new Uint8Array(res.rawPayload)).toEqual(OGG);
  });

  it('records every view in the audit log', async () => {
    const audit = (await api.as(api.tokens.admin).get(`/api/audit?caseId=${caseId}`)).body.filter((a: { action: string }) => a.action === 'case.attachment');
    expect(audit).toHaveLength(2);
    expect(audit.map((a: { details: { kind: string } }) => a.details.kind).sort()).toEqual(['photo', 'voice']);
  });

  it('refuses staff without the lawyer role, and names a file Telegram no longer has', async () => {
    expect((await api.as(api.tokens.staff).get(question.attachments[0]!.url)).status).toBe(403);
    await sendMedia(97_001, photo('GoneFromTelegram'));
    const last = (await lawyer().get(`/api/cases/${caseId}`)).body.messages.at(-1);
    const r = await lawyer().get(last.attachments[0].url);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/Telegram has no such file/);
  });

  it('sends a document of an unknown type as a download, never to be rendered', async () => {
    const d = h.api.putFile(HTML_DOC, 'documents', 'html');
    await sendMedia(97_001, { document: { file_id: d.fileId, file_unique_id: 'd', file_name: 'x.html', mime_type: 'text/html' } });
    const last = (await lawyer().get(`/api/cases/${caseId}`)).body.messages.at(-1);
    expect(last.attachments[0].kind).toBe('document');
    const res = await api.app.inject({ url: last.attachments[0].url, headers: { authorization: `Bearer ${api.tokens.lawyer}` } });
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers['content-security-policy']).toContain('sandbox');
  });
});

describe('a question spoken instead of written', () => {
  it('can be sent with only a voice message', async () => {
    await onboard(h, 97_002, 'uz');
    await h.press(97_002, 'a');
    await sendMedia(97_002, voice(h.api.putFile(OGG, 'voice', 'oga').fileId));
    expect(h.texts(97_002).at(-2)).toBe(uz('attachments.voice-added'));
    await h.press(97_002, 'cs');
    const id = Number(/#(\d+)/.exec(h.last(97_002).html)?.[1]);
    const view = (await lawyer().get(`/api/cases/${id}`)).body;
    expect(view.messages[0]).toMatchObject({ text: uz('attachments.voice-only'), attachments: [{ kind: 'voice' }] });
  });

  it('still asks for words when only a photo was sent', async () => {
    await onboard(h, 97_003, 'uz');
    await h.press(97_003, 'a');
    await sendMedia(97_003, photo(h.api.putFile(JPEG, 'photos', 'jpg').fileId));
    expect(h.last(97_003).html).toBe(`${uz('cases.photo-added')} ${uz('cases.need-text')}`);
  });
});
