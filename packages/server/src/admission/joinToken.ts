/**
 * Join tokens: JWTs signed with HS256 by an application the server trusts, that admit their
 * holder to one room under one display name with given permissions, until they expire.
 * @packageDocumentation
 */
import { DisplayNameSchema, RoomIdSchema, readPermissions, type JoinPermissions } from '@ponte/protocol';
import { SignJWT, errors, jwtVerify } from 'jose';

// The permissions are defined once, in the protocol package, for the server and the SDK.
export { ALL_PERMISSIONS, forbiddenMedia, type JoinPermissions } from '@ponte/protocol';

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

/** Clock tolerance when checking `exp` and `nbf`, in seconds. */
const CLOCK_TOLERANCE_S = 5;

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
