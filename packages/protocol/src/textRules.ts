/**
 * The text rules of the protocol's ids and names, shared by the zod schemas (`frames.ts`,
 * `dataFrames.ts`) and the hand-written checks (`fieldChecks.ts`, `dataFrameCheck.ts`), so the
 * two cannot drift apart on a pattern. Internal: not exported from the package.
 */

/** The alphabet of a room id, with its refusal message. */
export const ROOM_ID_RULE = { pattern: /^[A-Za-z0-9_-]+$/, message: 'room id must use only A-Z, a-z, 0-9, "_" and "-"' };

/** A transfer id of the peer-to-peer data frames: 1-64 URL-safe characters. */
export const TRANSFER_ID_RULE = { pattern: /^[A-Za-z0-9_-]{1,64}$/, message: 'transfer id must be 1-64 URL-safe characters' };

/** The digest closing a file transfer: SHA-256, 64 lowercase hex digits. */
export const SHA256_RULE = { pattern: /^[0-9a-f]{64}$/, message: 'sha256 must be 64 lowercase hex digits' };

/** Folds the inner runs of white space of a display name to one space, and trims it. */
export function foldDisplayName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

/** What a display name must not contain once folded, with the refusal messages. */
export const DISPLAY_NAME_RULES = [
  // eslint-disable-next-line no-control-regex
  { pattern: /^[^\u0000-\u001f\u007f-\u009f]*$/, message: 'display name must not contain control characters' },
  { pattern: /^[^\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*$/, message: 'display name must not contain invisible formatting characters' },
] as const;
