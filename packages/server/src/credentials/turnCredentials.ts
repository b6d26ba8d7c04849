import { createHmac } from 'node:crypto';
import type { IceServer } from '@ponte/protocol';

/** A TURN server that accepts time-limited credentials (coturn's `use-auth-secret`). */
export interface TurnOptions {
  /** TURN URLs, e.g. `['turn:turn.example.org:3478?transport=udp']`. */
  urls: string[];
  /** The shared secret, coturn's `static-auth-secret`. */
  secret: string;
  /** How long a credential is valid, in seconds. Default 3600. */
  ttlSeconds?: number;
}

/** Default lifetime of a minted TURN credential, in seconds. */
export const DEFAULT_TURN_TTL_SECONDS = 3600;

/**
 * Mints TURN REST API credentials (draft-uberti-behave-turn-rest): username
 * `"<unix expiry>:<user>"`, password `base64(HMAC-SHA1(secret, username))`, as coturn
 * checks them with `use-auth-secret`.
 */
export function mintTurnCredential(secret: string, user: string, ttlSeconds: number, nowMs = Date.now()): { username: string; credential: string } {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${user}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/** The ICE servers to hand one peer: the static ones plus, with TURN configured, its own credential. */
export function iceServersFor(peerId: string, base: IceServer[], turn: TurnOptions | undefined, nowMs = Date.now()): IceServer[] {
  if (!turn || turn.urls.length === 0) return base;
  const credential = mintTurnCredential(turn.secret, peerId, turn.ttlSeconds ?? DEFAULT_TURN_TTL_SECONDS, nowMs);
  return [...base, { urls: turn.urls, ...credential }];
}
