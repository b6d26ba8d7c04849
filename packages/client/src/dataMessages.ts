/**
 * The peer-to-peer data protocol: what two SDKs say to each other over their data channels.
 * A remote peer is a trust boundary like the server, so every text frame is parsed with these
 * schemas (with `parseFrame` of `@ponte/protocol`) before anything acts on it.
 *
 * Framing on the two message channels (`ponte-reliable`, `ponte-unreliable`): a binary frame
 * is an application message as is; a text frame is one JSON {@link PeerFrame}. A file travels
 * on a channel of its own labelled {@link fileChannelLabel}: binary frames are its chunks, in
 * order, and one text {@link FileEndFrame} closes it.
 */
import { z } from 'zod';

/** Prefix of the label of a per-transfer channel. */
export const FILE_CHANNEL_PREFIX = 'ponte-file:';

/** Smallest and largest chunk a sender may announce, in bytes. */
export const CHUNK_SIZE_BOUNDS = { min: 1024, max: 256 * 1024 } as const;

/** Longest file name and media type accepted in an offer, in characters. */
export const FILE_NAME_LENGTH = 255;
const FILE_TYPE_LENGTH = 255;

/** A transfer id: what {@link newTransferId} makes, or anything of that alphabet. */
export const TransferIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'transfer id must be 1-64 URL-safe characters');

/** A JSON value, as `JSON.stringify` writes it and `JSON.parse` reads it back. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * An application message sent as JSON. Its `data` is only required to be there: a frame is
 * always the output of `JSON.parse`, which is a JSON value by construction, so walking it
 * again with `z.json()` would check nothing and cost several times the parse on every
 * message (and copy it).
 */
export const UserMessageFrameSchema = z.strictObject({
  t: z.literal('msg'),
  data: z.custom<JsonValue>((value) => value !== undefined, 'data is required'),
});

/** The sender proposes a file. */
export const FileOfferFrameSchema = z.strictObject({
  t: z.literal('file-offer'),
  id: TransferIdSchema,
  name: z.string().min(1).max(FILE_NAME_LENGTH),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  type: z.string().max(FILE_TYPE_LENGTH),
  chunkSize: z.number().int().min(CHUNK_SIZE_BOUNDS.min).max(CHUNK_SIZE_BOUNDS.max),
});

/** The receiver's answer to an offer. */
export const FileAnswerFrameSchema = z.strictObject({
  t: z.enum(['file-accept', 'file-decline']),
  id: TransferIdSchema,
});

/**
 * Why a side stopped a transfer: `cancelled` by its user, `left` the room, `integrity` (the
 * digest did not match), `bad-data` (the other side broke this protocol).
 */
export const CancelReasonSchema = z.enum(['cancelled', 'left', 'integrity', 'bad-data']);
/** One of {@link CancelReasonSchema}'s values. */
export type CancelReason = z.infer<typeof CancelReasonSchema>;

/** Either side stops a transfer. */
export const FileCancelFrameSchema = z.strictObject({
  t: z.literal('file-cancel'),
  id: TransferIdSchema,
  reason: CancelReasonSchema,
});

/** The receiver got every byte and the digest matched: the transfer is complete. */
export const FileReceivedFrameSchema = z.strictObject({ t: z.literal('file-received'), id: TransferIdSchema });

/** Every text frame of the reliable message channel. */
export const PeerFrameSchema = z.discriminatedUnion('t', [
  UserMessageFrameSchema,
  FileOfferFrameSchema,
  FileAnswerFrameSchema,
  FileCancelFrameSchema,
  FileReceivedFrameSchema,
]);
/** A text frame of the reliable message channel. */
export type PeerFrame = z.infer<typeof PeerFrameSchema>;
/** A file offer as it crossed the wire. */
export type FileOfferFrame = z.infer<typeof FileOfferFrameSchema>;

/**
 * The last frame of a file channel: the transfer's digest, hex. The digest is SHA-256 over
 * the concatenated SHA-256 digests of every chunk as sent (see `chunkDigest.ts`).
 */
export const FileEndFrameSchema = z.strictObject({
  t: z.literal('file-end'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
});
/** The last frame of a file channel. */
export type FileEndFrame = z.infer<typeof FileEndFrameSchema>;

/** The label of the channel that carries transfer `id`. */
export function fileChannelLabel(id: string): string {
  return `${FILE_CHANNEL_PREFIX}${id}`;
}

/** The transfer id of a file channel label, or null when the label is not one. */
export function transferIdOfLabel(label: string): string | null {
  if (!label.startsWith(FILE_CHANNEL_PREFIX)) return null;
  const id = label.slice(FILE_CHANNEL_PREFIX.length);
  return TransferIdSchema.safeParse(id).success ? id : null;
}

/** A fresh random transfer id (128 bits, URL-safe). */
export function newTransferId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** The name to offer `file` under: its own, or `file` for a nameless Blob. */
export function nameOfBlob(file: Blob): string {
  return file instanceof File && file.name !== '' ? file.name : 'file';
}

/**
 * A file name safe to show and to save: path separators and control or invisible formatting
 * characters become `_`, and surrounding white space and dots are trimmed, so an offer cannot
 * name a path or disguise its extension.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f/\\\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned === '' ? 'file' : cleaned.slice(0, FILE_NAME_LENGTH);
}
