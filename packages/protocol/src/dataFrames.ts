/**
 * The peer-to-peer data protocol: what two SDKs say to each other over their data channels,
 * as zod schemas with inferred types. These schemas are its source of truth and its types;
 * at run time a peer's frames are checked by hand (`dataFrameCheck.ts`, with `parsePeerFrame`
 * and `parseFileEndFrame`), which accepts and refuses exactly what these schemas do, so that
 * the browser SDK carries no zod. A change here must be made there too, or
 * `dataFrameCheck.test.ts` fails.
 *
 * Framing on the two message channels (`ponte-reliable`, `ponte-unreliable`): a binary frame
 * is an application message as is; a text frame is one JSON {@link PeerFrame}. A file travels
 * on a channel of its own (`ponte-file:<transfer id>`): binary frames are its chunks, in
 * order, and one text {@link FileEndFrame} closes it.
 */
import { z } from 'zod';
import { CANCEL_REASONS, CHUNK_SIZE_BOUNDS, FILE_NAME_LENGTH, FILE_TYPE_LENGTH } from './limits.js';
import { SHA256_RULE, TRANSFER_ID_RULE } from './textRules.js';

/** A transfer id: what the SDK's `newTransferId` makes, or anything of that alphabet. */
export const TransferIdSchema = z.string().regex(TRANSFER_ID_RULE.pattern, TRANSFER_ID_RULE.message);

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

/** Why a side stopped a transfer (see {@link CANCEL_REASONS}). */
export const CancelReasonSchema = z.enum(CANCEL_REASONS);
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
 * the concatenated SHA-256 digests of every chunk as sent (see the SDK's `chunkDigest.ts`).
 */
export const FileEndFrameSchema = z.strictObject({
  t: z.literal('file-end'),
  sha256: z.string().regex(SHA256_RULE.pattern, SHA256_RULE.message),
});
/** The last frame of a file channel. */
export type FileEndFrame = z.infer<typeof FileEndFrameSchema>;
