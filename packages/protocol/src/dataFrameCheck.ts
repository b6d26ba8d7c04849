import type { FileEndFrame, JsonValue, PeerFrame } from './dataFrames.js';
import { CANCEL_REASONS, CHUNK_SIZE_BOUNDS, FILE_NAME_LENGTH, FILE_TYPE_LENGTH } from './limits.js';
import { SHA256_RULE, TRANSFER_ID_RULE } from './textRules.js';
import { byKey, integer, oneOf, Refusal, strict, text, type Check } from './valueChecks.js';

/**
 * The peer-to-peer data frames, checked by hand: the same frames as `PeerFrameSchema` and
 * `FileEndFrameSchema` of `dataFrames.ts`, which stay the source of truth. The browser SDK
 * validates what another peer sends with these, so that it carries no zod (about 450 KB of
 * its bundle). `dataFrameCheck.test.ts` proves that both accept and refuse the same frames and
 * return the same values; a change to a data frame's schema must be made here too.
 */

const transferId = text({ rules: [TRANSFER_ID_RULE] });

/** Anything but a missing key (`z.custom((value) => value !== undefined)`). */
const jsonValue: Check<JsonValue> = (value) => (value !== undefined ? (value as JsonValue) : new Refusal('data is required'));

const answer = strict({ t: oneOf(['file-accept', 'file-decline']), id: transferId });

const peerFrame = byKey('t', {
  msg: strict({ t: oneOf(['msg']), data: jsonValue }),
  'file-offer': strict({
    t: oneOf(['file-offer']),
    id: transferId,
    name: text({ min: 1, max: FILE_NAME_LENGTH }),
    size: integer(0),
    type: text({ max: FILE_TYPE_LENGTH }),
    chunkSize: integer(CHUNK_SIZE_BOUNDS.min, CHUNK_SIZE_BOUNDS.max),
  }),
  'file-accept': answer,
  'file-decline': answer,
  'file-cancel': strict({ t: oneOf(['file-cancel']), id: transferId, reason: oneOf(CANCEL_REASONS) }),
  'file-received': strict({ t: oneOf(['file-received']), id: transferId }),
});

const fileEndFrame = strict({ t: oneOf(['file-end']), sha256: text({ rules: [SHA256_RULE] }) });

/**
 * Checks a parsed JSON value as a text frame of a peer's reliable message channel, exactly as
 * `PeerFrameSchema` would: the frame, or a {@link Refusal} saying where and why not.
 */
export function checkPeerFrame(value: unknown): PeerFrame | Refusal {
  // The hand-built shape has the frame's type; the test proves the values equal too.
  return peerFrame(value);
}

/** Checks a parsed JSON value as the last frame of a file channel, exactly as `FileEndFrameSchema` would. */
export function checkFileEndFrame(value: unknown): FileEndFrame | Refusal {
  return fileEndFrame(value);
}

/** Whether `id` is a transfer id (what `TransferIdSchema` accepts). */
export function isTransferId(id: string): boolean {
  return typeof transferId(id) === 'string';
}
