/**
 * Reads what a join token says about its holder, in the browser, without verifying it (only
 * the server can, with the secret): so an app can show the token's name and hide the
 * controls the token does not allow, instead of sending media the server would refuse.
 * @packageDocumentation
 */
import { readPermissions, type JoinPermissions } from '@ponte/protocol';

// The permissions are defined once, in the protocol package, for the SDK and the server.
export { ALL_PERMISSIONS, type JoinPermissions } from '@ponte/protocol';

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

function decodeSegment(segment: string): unknown {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * Decodes a join token's claims without checking its signature. Returns null for something
 * that is not a JWT, or whose `permissions` claim the server would refuse (not an object, or a
 * flag that is not a boolean). Permission fields the token omits are allowed, as on the server.
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
  const permissions = readPermissions(record.permissions);
  if (permissions === undefined) return null;
  const info: JoinTokenInfo = { permissions };
  if (typeof record.room === 'string') info.room = record.room;
  if (typeof record.name === 'string') info.name = record.name;
  if (typeof record.exp === 'number') info.exp = record.exp;
  return info;
}
