/**
 * The text rules of the protocol's ids and names, shared by the zod schemas (`frames.ts`,
 * `dataFrames.ts`) and the hand-written checks (`fieldChecks.ts`, `dataFrameCheck.ts`), so the
 * two cannot drift apart on a pattern. The package exports only {@link replaceHiddenCharacters},
 * which the SDK cleans file names with.
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

/** Control characters (C0, DEL, C1), as the inside of a regular expression's character class. */
const CONTROL_CHARACTERS = '\\u0000-\\u001f\\u007f-\\u009f';

/**
 * Invisible formatting characters that can make one text look like another: zero-width
 * (U+200B-U+200F), bidirectional embeddings and overrides (U+202A-U+202E), word joiner,
 * invisible operators and bidirectional isolates (U+2060-U+2069), and the byte order mark
 * (U+FEFF); as the inside of a character class.
 */
const INVISIBLE_CHARACTERS = '\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff';

/** What a display name must not contain once folded, with the refusal messages. */
export const DISPLAY_NAME_RULES = [
  { pattern: new RegExp(`^[^${CONTROL_CHARACTERS}]*$`), message: 'display name must not contain control characters' },
  { pattern: new RegExp(`^[^${INVISIBLE_CHARACTERS}]*$`), message: 'display name must not contain invisible formatting characters' },
] as const;

const HIDDEN_CHARACTER = new RegExp(`[${CONTROL_CHARACTERS}${INVISIBLE_CHARACTERS}]`, 'g');

/**
 * `text` with each control or invisible formatting character (those a display name must not
 * hold) replaced by `replacement`: how the SDK makes a peer's file name safe to show.
 */
export function replaceHiddenCharacters(text: string, replacement: string): string {
  return text.replace(HIDDEN_CHARACTER, replacement);
}
