import { integer, list, text, type Env } from './envValues.js';
import type { ServerOptions } from './options.js';

/** The options {@link connectivityFromEnv} may set. */
export type ConnectivityOptions = Pick<
  ServerOptions,
  'secret' | 'resumeTokenTtlSeconds' | 'reconnectGraceMs' | 'turn' | 'relayOnlyRooms'
>;

/**
 * Reads resume, TURN and relay settings from the environment; only variables that are set
 * appear in the result. Throws an Error naming the variable when one is invalid.
 *
 * | Variable | Option |
 * | --- | --- |
 * | `PONTE_SECRET` | `secret` (signs resume tokens; the same on every process) |
 * | `PONTE_RESUME_TTL_S` | `resumeTokenTtlSeconds` |
 * | `PONTE_RECONNECT_GRACE_MS` | `reconnectGraceMs` |
 * | `PONTE_TURN_URLS` | `turn.urls` (comma list) |
 * | `PONTE_TURN_SECRET` | `turn.secret` (coturn's `static-auth-secret`) |
 * | `PONTE_TURN_TTL_S` | `turn.ttlSeconds` |
 * | `PONTE_RELAY_ONLY_ROOMS` | `relayOnlyRooms` (`*` or a comma list of room ids) |
 */
export function connectivityFromEnv(env: Env): ConnectivityOptions {
  const options: ConnectivityOptions = {};
  const secret = text(env, 'PONTE_SECRET');
  if (secret !== undefined) {
    if (secret.length < 16) throw new Error('PONTE_SECRET must be at least 16 characters long');
    options.secret = secret;
  }
  const ttl = integer(env, 'PONTE_RESUME_TTL_S', 60, 7 * 86_400);
  if (ttl !== undefined) options.resumeTokenTtlSeconds = ttl;
  const grace = integer(env, 'PONTE_RECONNECT_GRACE_MS', 0, 600_000);
  if (grace !== undefined) options.reconnectGraceMs = grace;
  const turnUrls = list(env, 'PONTE_TURN_URLS');
  const turnSecret = text(env, 'PONTE_TURN_SECRET');
  if ((turnUrls === undefined) !== (turnSecret === undefined)) {
    throw new Error('PONTE_TURN_URLS and PONTE_TURN_SECRET must be set together');
  }
  if (turnUrls !== undefined && turnSecret !== undefined) {
    const turnTtl = integer(env, 'PONTE_TURN_TTL_S', 60, 7 * 86_400);
    options.turn = { urls: turnUrls, secret: turnSecret, ...(turnTtl === undefined ? {} : { ttlSeconds: turnTtl }) };
  }
  const relayOnly = list(env, 'PONTE_RELAY_ONLY_ROOMS');
  if (relayOnly !== undefined) options.relayOnlyRooms = relayOnly.includes('*') ? '*' : relayOnly;
  return options;
}
