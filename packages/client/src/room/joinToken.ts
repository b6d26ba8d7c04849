/**
 * Reads what a join token says about its holder, in the browser, without verifying it (only
 * the server can, with the secret): so an app can show the token's name and hide the
 * controls the token does not allow, instead of sending media the server would refuse.
 * @packageDocumentation
 */

/** What a join token allows its holder to publish. */
export interface JoinPermissions {
  /** May turn the microphone on. */
  publishAudio: boolean;
  /** May turn the camera on. */
  publishVideo: boolean;
  /** May share the screen. */
  shareScreen: boolean;
}

/** The claims of a join token, as far as the client needs them. */
export interface JoinTokenInfo {
  /** The room the token admits to. */
  room?: string;
  /** The display name the server will use. */
  name?: string;
  /** Expiry, in seconds since the epoch. */
  exp?: number;
  permissions: JoinPermissions;
}

/** Every permission: what a join without a token may do. */
export const ALL_PERMISSIONS: Readonly<JoinPermissions> = Object.freeze({
  publishAudio: true,
  publishVideo: true,
  shareScreen: true,
});

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * Decodes a join token's claims without checking its signature. Returns null for something
 * that is not a JWT. Permission fields the token omits are allowed, as on the server.
 */
export function readJoinToken(token: string): JoinTokenInfo | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  let claims: unknown;
  try {
    claims = decodeSegment(payload);
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) return null;
  const record = claims as Record<string, unknown>;
  const given = typeof record.permissions === 'object' && record.permissions !== null ? (record.permissions as Record<string, unknown>) : {};
  const permissions = { ...ALL_PERMISSIONS };
  for (const key of Object.keys(ALL_PERMISSIONS) as (keyof JoinPermissions)[]) {
    if (typeof given[key] === 'boolean') permissions[key] = given[key];
  }
  const info: JoinTokenInfo = { permissions };
  if (typeof record.room === 'string') info.room = record.room;
  if (typeof record.name === 'string') info.name = record.name;
  if (typeof record.exp === 'number') info.exp = record.exp;
  return info;
}
