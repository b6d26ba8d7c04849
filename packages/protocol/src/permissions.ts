/**
 * What a join token lets its holder publish, read the same way by the server (which verifies
 * the token and enforces it on `join`, `update` and `resume`) and by the SDK (which reads an
 * unverified token to show only the controls it allows). zod-free, so the SDK can import it.
 * @packageDocumentation
 */
import type { MediaState } from './frames.js';

/** What a token's holder may send. Every field defaults to `true` when the claim omits it. */
export interface JoinPermissions {
  /** May turn the microphone on. */
  publishAudio: boolean;
  /** May turn the camera on. */
  publishVideo: boolean;
  /** May share the screen. */
  shareScreen: boolean;
}

/** The permission flags a token's `permissions` claim may hold. */
export const PERMISSION_KEYS = ['publishAudio', 'publishVideo', 'shareScreen'] as const satisfies readonly (keyof JoinPermissions)[];

/** Every permission granted: what a join without a token may do. */
export const ALL_PERMISSIONS: Readonly<JoinPermissions> = Object.freeze({
  publishAudio: true,
  publishVideo: true,
  shareScreen: true,
});

/**
 * Reads a token's `permissions` claim: a missing claim or flag allows, a flag set to `false`
 * forbids. Undefined when the claim is not an object or a flag it holds is not a boolean: the
 * server refuses such a token (`TOKEN_INVALID`). Keys other than the flags are ignored.
 */
export function readPermissions(claim: unknown): JoinPermissions | undefined {
  if (claim === undefined) return { ...ALL_PERMISSIONS };
  if (typeof claim !== 'object' || claim === null || Array.isArray(claim)) return undefined;
  const record = claim as Record<string, unknown>;
  const permissions = { ...ALL_PERMISSIONS };
  for (const key of PERMISSION_KEYS) {
    const flag = record[key];
    if (flag === undefined) continue;
    if (typeof flag !== 'boolean') return undefined;
    permissions[key] = flag;
  }
  return permissions;
}

/**
 * The first part of `state` that `permissions` do not allow (`'audio'`, `'video'`, `'screen'`),
 * or undefined when all of it is allowed. Only parts switched on count.
 */
export function forbiddenMedia(state: Partial<MediaState> | undefined, permissions: JoinPermissions): keyof MediaState | undefined {
  if (state === undefined) return undefined;
  if (state.audio === true && !permissions.publishAudio) return 'audio';
  if (state.video === true && !permissions.publishVideo) return 'video';
  if (state.screen === true && !permissions.shareScreen) return 'screen';
  return undefined;
}
