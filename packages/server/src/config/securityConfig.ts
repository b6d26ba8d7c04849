import { flag, integer, text, type Env } from './envValues.js';
import type { SecurityOptions } from './securityOptions.js';

/**
 * Reads the {@link SecurityOptions} from the environment; only variables that are set appear
 * in the result. Throws an Error naming the variable when one is invalid.
 *
 * | Variable | Option |
 * | --- | --- |
 * | `BASIC_AUTH` | `basicAuth` (`user:password`) |
 * | `PONTE_ALLOWED_ORIGINS` | `allowedOrigins` (comma list, or `*`) |
 * | `PONTE_TOKEN_SECRET` | `tokenSecret` |
 * | `PONTE_REQUIRE_TOKEN` | `requireToken` |
 * | `PONTE_RATE_LIMIT` | `rateLimit.framesPerSecond` (`0` turns the limit off) |
 * | `PONTE_RATE_BURST` | `rateLimit.burst` |
 * | `PONTE_MAX_CONNECTIONS_PER_IP` | `maxConnectionsPerIp` |
 * | `PONTE_MAX_ROOMS` | `maxRooms` |
 * | `PONTE_MAX_SERVER_PEERS` | `maxPeers` |
 * | `PONTE_PASSWORD_MAX_DELAY_MS` | `passwordMaxDelayMs` |
 * | `PONTE_TRUST_PROXY` | `trustProxy` |
 * | `PONTE_METRICS` | `metrics.enabled` |
 * | `PONTE_METRICS_TOKEN` | `metrics.token` |
 * | `PONTE_METRICS_PORT` | `metrics.port` |
 */
export function securityFromEnv(env: Env): SecurityOptions {
  const options: SecurityOptions = {};
  const basicAuth = text(env, 'BASIC_AUTH');
  if (basicAuth !== undefined) {
    const colon = basicAuth.indexOf(':');
    if (colon < 1 || colon === basicAuth.length - 1) throw new Error('BASIC_AUTH must be "user:password"');
    options.basicAuth = basicAuth;
  }
  const origins = text(env, 'PONTE_ALLOWED_ORIGINS');
  if (origins !== undefined) {
    options.allowedOrigins =
      origins === '*'
        ? '*'
        : origins
            .split(',')
            .map((origin) => origin.trim().replace(/\/+$/, ''))
            .filter((origin) => origin !== '');
  }
  const secret = text(env, 'PONTE_TOKEN_SECRET');
  if (secret !== undefined) {
    if (secret.length < 16) throw new Error('PONTE_TOKEN_SECRET must be at least 16 characters long');
    options.tokenSecret = secret;
  }
  const requireToken = flag(env, 'PONTE_REQUIRE_TOKEN');
  if (requireToken !== undefined) {
    if (requireToken && secret === undefined) throw new Error('PONTE_REQUIRE_TOKEN=true needs PONTE_TOKEN_SECRET');
    options.requireToken = requireToken;
  }
  const rate = integer(env, 'PONTE_RATE_LIMIT', 0, 1_000_000);
  const burst = integer(env, 'PONTE_RATE_BURST', 1, 1_000_000);
  if (rate === 0) options.rateLimit = false;
  else if (rate !== undefined || burst !== undefined) {
    options.rateLimit = {};
    if (rate !== undefined) options.rateLimit.framesPerSecond = rate;
    if (burst !== undefined) options.rateLimit.burst = burst;
  }
  const perIp = integer(env, 'PONTE_MAX_CONNECTIONS_PER_IP', 1, 1_000_000);
  if (perIp !== undefined) options.maxConnectionsPerIp = perIp;
  const rooms = integer(env, 'PONTE_MAX_ROOMS', 1, 10_000_000);
  if (rooms !== undefined) options.maxRooms = rooms;
  const peers = integer(env, 'PONTE_MAX_SERVER_PEERS', 1, 10_000_000);
  if (peers !== undefined) options.maxPeers = peers;
  const maxDelay = integer(env, 'PONTE_PASSWORD_MAX_DELAY_MS', 0, 3_600_000);
  if (maxDelay !== undefined) options.passwordMaxDelayMs = maxDelay;
  const trustProxy = flag(env, 'PONTE_TRUST_PROXY');
  if (trustProxy !== undefined) options.trustProxy = trustProxy;
  const metricsEnabled = flag(env, 'PONTE_METRICS');
  const metricsToken = text(env, 'PONTE_METRICS_TOKEN');
  const metricsPort = integer(env, 'PONTE_METRICS_PORT', 0, 65_535);
  if (metricsEnabled !== undefined || metricsToken !== undefined || metricsPort !== undefined) {
    options.metrics = {};
    if (metricsEnabled !== undefined) options.metrics.enabled = metricsEnabled;
    if (metricsToken !== undefined) options.metrics.token = metricsToken;
    if (metricsPort !== undefined) options.metrics.port = metricsPort;
  }
  return options;
}
