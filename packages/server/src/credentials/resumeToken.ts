import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PeerId, RoomId } from '@ponte/protocol';
import { ALL_PERMISSIONS, type JoinPermissions } from '../admission/joinToken.js';

/**
 * What the peer was granted at join, carried in the token so that a resume (on any process,
 * even after a restart) grants no more: its join-token permissions, the name a join token
 * fixed, and the room's password hash (so a room re-created by a resume keeps its password).
 */
export interface ResumeGrants {
  permissions: JoinPermissions;
  name?: string;
  passwordHash?: string;
}

/** Permissions as three flags in the token: `a`udio, `v`ideo, `s`creen. */
function packPermissions(permissions: JoinPermissions): string {
  return `${permissions.publishAudio ? 'a' : ''}${permissions.publishVideo ? 'v' : ''}${permissions.shareScreen ? 's' : ''}`;
}

function unpackPermissions(flags: string): JoinPermissions {
  return { publishAudio: flags.includes('a'), publishVideo: flags.includes('v'), shareScreen: flags.includes('s') };
}

/** What a resume token vouches for. */
export interface ResumeClaims {
  room: RoomId;
  peer: PeerId;
  /** Expiry, in Unix seconds. */
  exp: number;
  grants: ResumeGrants;
}

/** Why a token was refused. */
export type ResumeTokenError = 'malformed' | 'forged' | 'expired';

const VERSION = 1;

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/**
 * Mints a resume token: `base64url(JSON claims) "." base64url(HMAC-SHA256(secret, claims))`.
 * Any process with the same secret can verify it, even one that never saw the peer: that is
 * what lets a call survive a server restart or move to another process.
 */
export function mintResumeToken(
  secret: string,
  room: RoomId,
  peer: PeerId,
  ttlSeconds: number,
  grants: ResumeGrants = { permissions: ALL_PERMISSIONS },
  nowMs = Date.now(),
): string {
  const claims: WireClaims = {
    v: VERSION,
    room,
    peer,
    exp: Math.floor(nowMs / 1000) + ttlSeconds,
    perm: packPermissions(grants.permissions),
    ...(grants.name === undefined ? {} : { name: grants.name }),
    ...(grants.passwordHash === undefined ? {} : { ph: grants.passwordHash }),
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
}

/** Checks a resume token's signature and expiry; never throws. */
export function verifyResumeToken(
  secret: string,
  token: string,
  nowMs = Date.now(),
): { ok: true; claims: ResumeClaims } | { ok: false; error: ResumeTokenError } {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, error: 'malformed' };
  const expected = sign(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'forged' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'malformed' };
  }
  if (!isClaims(claims)) return { ok: false, error: 'malformed' };
  if (claims.exp * 1000 <= nowMs) return { ok: false, error: 'expired' };
  return {
    ok: true,
    claims: {
      room: claims.room,
      peer: claims.peer,
      exp: claims.exp,
      grants: {
        permissions: unpackPermissions(claims.perm),
        ...(claims.name === undefined ? {} : { name: claims.name }),
        ...(claims.ph === undefined ? {} : { passwordHash: claims.ph }),
      },
    },
  };
}

/** The claims as they are signed. */
interface WireClaims {
  v: number;
  room: string;
  peer: string;
  exp: number;
  perm: string;
  name?: string;
  ph?: string;
}

function isClaims(value: unknown): value is WireClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    claims.v === VERSION &&
    typeof claims.room === 'string' &&
    typeof claims.peer === 'string' &&
    typeof claims.exp === 'number' &&
    typeof claims.perm === 'string' &&
    (claims.name === undefined || typeof claims.name === 'string') &&
    (claims.ph === undefined || typeof claims.ph === 'string')
  );
}
