/**
 * The access-control, limit and metrics options of the server, and their defaults. Kept apart
 * from `options.ts` so the security surface reads in one place.
 * @packageDocumentation
 */

/** The per-connection token bucket: see {@link SecurityOptions.rateLimit}. */
export interface RateLimitOptions {
  /** Frames per second a connection may send, sustained. Default `50`. */
  framesPerSecond?: number;
  /** Frames a connection may send at once before the sustained rate applies. Default `200`. */
  burst?: number;
  /**
   * How many frames may be refused with `RATE_LIMITED` within {@link closeWindowMs} before
   * the server closes the socket with 1008 (policy violation). Default `100`.
   */
  closeAfter?: number;
  /** The window for {@link closeAfter}, in milliseconds. Default `10000`. */
  closeWindowMs?: number;
}

/** Where and how `/metrics` (Prometheus text format) is served. */
export interface MetricsOptions {
  /** Serve metrics at all. Default `true`. */
  enabled?: boolean;
  /**
   * A bearer token that a scraper must send (`Authorization: Bearer <token>`). When basic
   * auth is on as well, either is accepted. Default: none.
   */
  token?: string;
  /**
   * Serve `/metrics` on this separate port (on the same host) instead of the main one, with
   * no authentication; the main port then answers 404 for it. Default: the main port.
   */
  port?: number;
}

/** Access control, limits and metrics; part of `ServerOptions`. */
export interface SecurityOptions {
  /**
   * `"user:password"`: every page, API route and the WebSocket require these HTTP basic
   * credentials (`/healthz` stays open for health probes). Default: none, open.
   */
  basicAuth?: string;
  /**
   * Origins (`https://meet.example.org`) allowed to open a WebSocket, or `'*'` for any.
   * Default: same origin only (the `Origin` header's host equals the `Host` header), plus
   * requests without an `Origin` header (non-browser clients).
   */
  allowedOrigins?: readonly string[] | '*';
  /** The HS256 secret that join tokens are signed with. Default: none, tokens are ignored. */
  tokenSecret?: string;
  /** Refuse every join without a valid token (`TOKEN_REQUIRED`). Needs `tokenSecret`. Default `false`. */
  requireToken?: boolean;
  /**
   * Wrong room passwords from one IP address for one room: this many are answered at once,
   * each later one waits `passwordDelayMs × 2^(n - free - 1)` (capped by
   * `passwordMaxDelayMs`) before `WRONG_PASSWORD`. Default `2`.
   */
  passwordFreeAttempts?: number;
  /** The first delay after the free attempts, in milliseconds. Default `1000`. */
  passwordDelayMs?: number;
  /** The longest delay, in milliseconds. Default `30000`. */
  passwordMaxDelayMs?: number;
  /** The per-connection rate limit; `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Most open WebSockets from one IP address; one more gets HTTP 429. Default `20`. */
  maxConnectionsPerIp?: number;
  /** Most rooms at once; a join that would create one more gets `SERVER_FULL`. Default `1000`. */
  maxRooms?: number;
  /** Most peers in rooms at once, over all rooms; one more gets `SERVER_FULL`. Default `5000`. */
  maxPeers?: number;
  /**
   * Take the client's IP address from the last `X-Forwarded-For` entry (set this behind a
   * reverse proxy, or every client counts as the proxy). Default `false`.
   */
  trustProxy?: boolean;
  /** `/metrics`. */
  metrics?: MetricsOptions;
}

/** The defaults of {@link SecurityOptions}. */
export const SECURITY_DEFAULTS = {
  passwordFreeAttempts: 2,
  passwordDelayMs: 1_000,
  passwordMaxDelayMs: 30_000,
  rateLimit: { framesPerSecond: 50, burst: 200, closeAfter: 100, closeWindowMs: 10_000 },
  maxConnectionsPerIp: 20,
  maxRooms: 1_000,
  maxPeers: 5_000,
} as const;

/** {@link SecurityOptions} with every default applied. */
export interface ResolvedSecurityOptions {
  basicAuth: { user: string; password: string } | undefined;
  allowedOrigins: readonly string[] | '*' | undefined;
  tokenSecret: Uint8Array | undefined;
  requireToken: boolean;
  passwordFreeAttempts: number;
  passwordDelayMs: number;
  passwordMaxDelayMs: number;
  rateLimit: Required<RateLimitOptions> | false;
  maxConnectionsPerIp: number;
  maxRooms: number;
  maxPeers: number;
  trustProxy: boolean;
  metrics: { enabled: boolean; token: string | undefined; port: number | undefined };
}

function nonNegative(name: string, value: number, min = 0): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

/** Splits `"user:password"` at the first colon; throws a RangeError when there is none. */
export function parseBasicAuthSetting(value: string): { user: string; password: string } {
  const colon = value.indexOf(':');
  if (colon < 1 || colon === value.length - 1) {
    throw new RangeError('basicAuth must be "user:password" with a non-empty user and password');
  }
  return { user: value.slice(0, colon), password: value.slice(colon + 1) };
}

/** Applies the defaults of {@link SecurityOptions}; throws a RangeError for a bad value. */
export function resolveSecurityOptions(options: SecurityOptions): ResolvedSecurityOptions {
  if (options.requireToken === true && !options.tokenSecret) {
    throw new RangeError('requireToken needs a tokenSecret to verify tokens with');
  }
  if (options.tokenSecret !== undefined && options.tokenSecret.length < 16) {
    throw new RangeError('tokenSecret must be at least 16 characters long');
  }
  const rate = options.rateLimit;
  const defaults = SECURITY_DEFAULTS.rateLimit;
  const metrics = options.metrics ?? {};
  return {
    basicAuth: options.basicAuth === undefined ? undefined : parseBasicAuthSetting(options.basicAuth),
    allowedOrigins: options.allowedOrigins,
    tokenSecret: options.tokenSecret ? new TextEncoder().encode(options.tokenSecret) : undefined,
    requireToken: options.requireToken === true,
    passwordFreeAttempts: nonNegative('passwordFreeAttempts', options.passwordFreeAttempts ?? SECURITY_DEFAULTS.passwordFreeAttempts),
    passwordDelayMs: nonNegative('passwordDelayMs', options.passwordDelayMs ?? SECURITY_DEFAULTS.passwordDelayMs),
    passwordMaxDelayMs: nonNegative('passwordMaxDelayMs', options.passwordMaxDelayMs ?? SECURITY_DEFAULTS.passwordMaxDelayMs),
    rateLimit:
      rate === false
        ? false
        : {
            framesPerSecond: nonNegative('rateLimit.framesPerSecond', rate?.framesPerSecond ?? defaults.framesPerSecond, 1),
            burst: nonNegative('rateLimit.burst', rate?.burst ?? defaults.burst, 1),
            closeAfter: nonNegative('rateLimit.closeAfter', rate?.closeAfter ?? defaults.closeAfter, 1),
            closeWindowMs: nonNegative('rateLimit.closeWindowMs', rate?.closeWindowMs ?? defaults.closeWindowMs, 1),
          },
    maxConnectionsPerIp: nonNegative('maxConnectionsPerIp', options.maxConnectionsPerIp ?? SECURITY_DEFAULTS.maxConnectionsPerIp, 1),
    maxRooms: nonNegative('maxRooms', options.maxRooms ?? SECURITY_DEFAULTS.maxRooms, 1),
    maxPeers: nonNegative('maxPeers', options.maxPeers ?? SECURITY_DEFAULTS.maxPeers, 1),
    trustProxy: options.trustProxy === true,
    metrics: {
      enabled: metrics.enabled !== false,
      token: metrics.token || undefined,
      port: metrics.port === undefined ? undefined : nonNegative('metrics.port', metrics.port),
    },
  };
}
