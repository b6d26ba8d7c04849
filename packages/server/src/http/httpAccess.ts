/**
 * Checks on plain HTTP requests shared by the Fastify hooks and the WebSocket upgrade
 * handler: HTTP basic credentials, the `Origin` allow-list and the client's IP address.
 * @packageDocumentation
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** The realm browsers show in their credentials prompt. */
export const BASIC_AUTH_REALM = 'Ponte';

/** The `WWW-Authenticate` header of a 401 answer. */
export const WWW_AUTHENTICATE = `Basic realm="${BASIC_AUTH_REALM}", charset="UTF-8"`;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares two strings in time independent of where they differ (both are hashed first, so
 * their lengths do not leak either).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Whether an `Authorization` header carries the expected basic credentials. Both user and
 * password are always compared, in constant time.
 */
export function hasBasicCredentials(authorization: string | undefined, expected: { user: string; password: string }): boolean {
  if (authorization === undefined) return false;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(authorization);
  if (!match) return false;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = constantTimeEqual(decoded.slice(0, colon), expected.user);
  const passwordOk = constantTimeEqual(decoded.slice(colon + 1), expected.password);
  return userOk && passwordOk;
}

/** Whether an `Authorization` header is `Bearer <token>` with the expected token. */
export function hasBearerToken(authorization: string | undefined, token: string): boolean {
  if (authorization === undefined) return false;
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  return match !== null && constantTimeEqual(match[1] ?? '', token);
}

/**
 * Whether a WebSocket upgrade may proceed from the origin it states.
 *
 * - With an allow-list: the `Origin` must be on it exactly (scheme, host and port), or the
 *   list is `'*'`.
 * - Without one: same origin only, i.e. the host of `Origin` equals the `Host` header.
 *
 * A request without an `Origin` header does not come from a web page (browsers always send
 * one on WebSocket upgrades) and is allowed: the origin check protects users' browsers from
 * other sites, not the server from scripts, which basic auth and tokens are for.
 */
export function isOriginAllowed(headers: IncomingHttpHeaders, allowed: readonly string[] | '*' | undefined): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (allowed === '*') return true;
  if (allowed !== undefined) return allowed.includes(origin);
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host !== '' && host === headers.host;
}

/**
 * The client's IP address: the socket's peer, or with `trustProxy` the last entry of
 * `X-Forwarded-For` (the one the trusted proxy appended; earlier ones can be forged).
 */
export function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const value = Array.isArray(forwarded) ? forwarded[forwarded.length - 1] : forwarded;
    const last = value?.split(',').pop()?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
