/**
 * What a migrant attached to a question or a thread message, kept as Telegram file
 * ids (never downloaded to our disk). Stored in the existing `file_ids` string
 * lists: a photo is its bare file id (as before), anything else is `kind:fileId`.
 * Telegram file ids use only A–Z, a–z, 0–9, `_` and `-`, so the colon is unambiguous.
 */
export const ATTACHMENT_KINDS = ['photo', 'voice', 'audio', 'document', 'video'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface Attachment {
  kind: AttachmentKind;
  fileId: string;
}

export function encodeAttachment({ kind, fileId }: Attachment): string {
  return kind === 'photo' ? fileId : `${kind}:${fileId}`;
}

export function decodeAttachment(stored: string): Attachment {
  const i = stored.indexOf(':');
  const kind = stored.slice(0, i);
  if (i > 0 && (ATTACHMENT_KINDS as readonly string[]).includes(kind)) return { kind: kind as AttachmentKind, fileId: stored.slice(i + 1) };
  return { kind: 'photo', fileId: stored };
}
