/**
 * The text rules of the protocol's ids and names, shared by the zod schemas (`frames.ts`) and
 * the hand-written checks of both sides (`fieldChecks.ts`), so the two cannot drift apart on a
 * pattern. Internal: not exported from the package.
 */

/** The alphabet of a room id, with its refusal message. */
export const ROOM_ID_RULE = { pattern: /^[A-Za-z0-9_-]+$/, message: 'room id must use only A-Z, a-z, 0-9, "_" and "-"' };

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
