/**
 * Join tokens: JWTs signed with HS256 by an application the server trusts, that admit their
 * holder to one room under one display name with given permissions, until they expire.
 * @packageDocumentation
 */
import { DisplayNameSchema, RoomIdSchema, type MediaState } from '@ponte/protocol';
import { SignJWT, errors, jwtVerify } from 'jose';

/** What a token's holder may send. Every field defaults to `true` when the claim omits it. */
export interface JoinPermissions {
  /** May turn the microphone on. */
  publishAudio: boolean;
  /** May turn the camera on. */
  publishVideo: boolean;
  /** May share the screen. */
  shareScreen: boolean;
}

/** The claims of a join token, as an application mints them. */
export interface JoinTokenClaims {
  /** The room id the token admits to. */
  room: string;
  /** The display name; it replaces the name the client states in `join`. */
  name: string;
  /** Restrictions; an omitted field is allowed. */
  permissions?: Partial<JoinPermissions>;
}

/** A verified token. */
export interface VerifiedJoinToken {
  room: string;
  name: string;
  permissions: JoinPermissions;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

/** The outcome of {@link verifyJoinToken}: the claims, or why the token is refused. */
export type JoinTokenResult = { ok: true; token: VerifiedJoinToken } | { ok: false; reason: string };

/** Every permission granted: what a join without a token may do. */
export const ALL_PERMISSIONS: Readonly<JoinPermissions> = Object.freeze({
  publishAudio: true,
  publishVideo: true,
  shareScreen: true,
});

/** Clock tolerance when checking `exp` and `nbf`, in seconds. */
const CLOCK_TOLERANCE_S = 5;

function readPermissions(value: unknown): JoinPermissions | undefined {
  if (value === undefined) return { ...ALL_PERMISSIONS };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const result = { ...ALL_PERMISSIONS };
  for (const key of Object.keys(ALL_PERMISSIONS) as (keyof JoinPermissions)[]) {
    const flag = record[key];
    if (flag === undefined) continue;
    if (typeof flag !== 'boolean') return undefined;
    result[key] = flag;
  }
  return result;
}

/**
 * Verifies a join token for `room`: signature (HS256 only, with `secret`), expiry (`exp` is
 * required), and the `room`, `name` and `permissions` claims. Never throws.
 */
export async function verifyJoinToken(token: string, secret: Uint8Array, room: string): Promise<JoinTokenResult> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'the join token has expired' };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'the join token signature is not valid' };
    if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: `the join token's "${error.claim}" claim is not valid` };
    return { ok: false, reason: 'the join token is not a valid signed token' };
  }
  const roomClaim = RoomIdSchema.safeParse(payload.room);
  if (!roomClaim.success) return { ok: false, reason: 'the join token has no valid "room" claim' };
  if (roomClaim.data !== room) return { ok: false, reason: 'the join token is for another room' };
  const name = DisplayNameSchema.safeParse(payload.name);
  if (!name.success) return { ok: false, reason: 'the join token has no valid "name" claim' };
  const permissions = readPermissions(payload.permissions);
  if (permissions === undefined) return { ok: false, reason: 'the join token has an invalid "permissions" claim' };
  return { ok: true, token: { room: roomClaim.data, name: name.data, permissions, exp: payload.exp as number } };
}

/**
 * Mints a join token: what an application that decides who may join does (this function is
 * for Node applications and tests; any JWT library that signs HS256 works the same way).
 * @param claims - Room, display name and permissions.
 * @param secret - The server's `tokenSecret` (`PONTE_TOKEN_SECRET`).
 * @param expiresIn - Lifetime as a jose time span (`'10m'`, `'2h'`) or seconds. Default `'1h'`.
 */
export function mintJoinToken(claims: JoinTokenClaims, secret: string, expiresIn: string | number = '1h'): Promise<string> {
  const payload: Record<string, unknown> = { room: claims.room, name: claims.name };
  if (claims.permissions !== undefined) payload.permissions = claims.permissions;
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt();
  jwt.setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn);
  return jwt.sign(new TextEncoder().encode(secret));
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
