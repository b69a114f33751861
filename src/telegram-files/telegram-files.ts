/**
 * Streams a migrant's attachment from Telegram to an authorised lawyer: `getFile`
 * gives the file's path, and its bytes pass straight through to the response,
 * never to our disk. The content type is chosen by us from a short list (never
 * taken from the file), and anything not an image or a sound is sent as a download.
 */
import type { AttachmentKind } from '../lawyer-queue/attachments.js';

export class FileUnavailableError extends Error {
  override readonly name = 'FileUnavailableError';
}

/** Types a browser may show inline; every other file is `application/octet-stream`. */
const INLINE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
};
/** Known document types, offered as downloads. */
const DOWNLOAD_TYPES: Record<string, string> = { pdf: 'application/pdf' };

export interface SafeFileType {
  contentType: string;
  /** `inline` only for images, sounds and video; everything else downloads. */
  disposition: 'inline' | 'attachment';
}

/** The content type and disposition we send for a file, from its kind and extension. */
export function safeFileType(kind: AttachmentKind, filePath: string): SafeFileType {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(filePath)?.[1]?.toLowerCase() ?? '';
  const inline = INLINE_TYPES[ext] ?? (kind === 'photo' ? 'image/jpeg' : kind === 'voice' ? 'audio/ogg' : undefined);
  if (inline && kind !== 'document') return { contentType: inline, disposition: 'inline' };
  if (inline?.startsWith('image/')) return { contentType: inline, disposition: 'inline' };
  return { contentType: DOWNLOAD_TYPES[ext] ?? 'application/octet-stream', disposition: 'attachment' };
}

export interface TelegramFilesDeps {
  token: string;
  apiRoot: string;
  /** The Bot API's fetch (local mode: the in-process stand-in). */
  fetch?: typeof fetch;
  /** Give up on Telegram after this long. */
  timeoutMs?: number;
}

export interface OpenedFile extends SafeFileType {
  body: ReadableStream<Uint8Array>;
  size?: number;
  /** The file's name for a download: the last part of Telegram's path. */
  name: string;
}

export function createTelegramFiles({ token, apiRoot, fetch: doFetch = fetch, timeoutMs = 20_000 }: TelegramFilesDeps) {
  const root = apiRoot.replace(/\/+$/, '');
  return {
    async open(kind: AttachmentKind, fileId: string): Promise<OpenedFile> {
      let filePath: string | undefined;
      try {
        const res = await doFetch(`${root}/bot${token}/getFile`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ file_id: fileId }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const json = (await res.json()) as { ok?: boolean; result?: { file_path?: string }; description?: string };
        if (!json.ok) throw new FileUnavailableError(`Telegram has no such file (${json.description ?? res.status})`);
        filePath = json.result?.file_path;
      } catch (err) {
        if (err instanceof FileUnavailableError) throw err;
        throw new FileUnavailableError('Telegram could not be reached for this file', { cause: err });
      }
      if (!filePath) throw new FileUnavailableError('Telegram gave no path for this file (over 20 MB?)');
      let res: Response;
      try {
        res = await doFetch(`${root}/file/bot${token}/${filePath}`, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new FileUnavailableError('Telegram could not be reached for this file', { cause: err });
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => {});
        throw new FileUnavailableError(`Telegram answered ${res.status} for this file`);
      }
      const size = Number(res.headers.get('content-length'));
      return { ...safeFileType(kind, filePath), body: res.body, name: filePath.split('/').pop() || 'file', ...(size > 0 ? { size } : {}) };
    },
  };
}

export type TelegramFiles = ReturnType<typeof createTelegramFiles>;
