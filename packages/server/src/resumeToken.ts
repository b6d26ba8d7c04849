import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PeerId, RoomId } from '@ponte/protocol';

/** What a resume token vouches for. */
export interface ResumeClaims {
  room: RoomId;
  peer: PeerId;
  /** Expiry, in Unix seconds. */
  exp: number;
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
export function mintResumeToken(secret: string, room: RoomId, peer: PeerId, ttlSeconds: number, nowMs = Date.now()): string {
  const claims = { v: VERSION, room, peer, exp: Math.floor(nowMs / 1000) + ttlSeconds };
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
  return { ok: true, claims: { room: claims.room, peer: claims.peer, exp: claims.exp } };
}

function isClaims(value: unknown): value is ResumeClaims & { v: number } {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    claims.v === VERSION &&
    typeof claims.room === 'string' &&
    typeof claims.peer === 'string' &&
    typeof claims.exp === 'number'
  );
}
