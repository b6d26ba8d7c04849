import { fileURLToPath } from 'node:url';
import { IceServerSchema, type IceServer } from '@ponte/protocol';
import { integer } from './envValues.js';
import { SERVER_DEFAULTS, type ServerOptions } from './options.js';
import { connectivityFromEnv } from './connectivityConfig.js';
import { securityFromEnv } from './securityConfig.js';

/** Everything `main.ts` needs to run a server, as read from the environment. */
export interface ServerConfig {
  /** `PORT`, default `3000`. */
  port: number;
  /** `HOST`, default `0.0.0.0`. */
  host: string;
  /** The options for `createServer`. */
  server: ServerOptions & { logger: { level: string } };
}

/** The built web app, relative to this module (`src/` and `dist/` sit at the same depth). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function iceServers(raw: string | undefined): IceServer[] {
  if (raw === undefined || raw.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('PONTE_ICE_SERVERS must be a JSON array of RTCIceServer objects, but it is not valid JSON');
  }
  if (!Array.isArray(json)) {
    throw new Error('PONTE_ICE_SERVERS must be a JSON array of RTCIceServer objects, e.g. [{"urls":"stun:stun.example.org"}]');
  }
  return json.map((entry: unknown, index) => {
    const result = IceServerSchema.safeParse(entry);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
    throw new Error(`PONTE_ICE_SERVERS[${index}]${where}: ${issue?.message ?? 'not an RTCIceServer'}`);
  });
}

/**
 * Reads the server configuration from environment variables; pure (pass `process.env`).
 * Throws an Error whose message names the variable and what is wrong with it.
 *
 * | Variable | Default |
 * | --- | --- |
 * | `PORT` | `3000` |
 * | `HOST` | `0.0.0.0` |
 * | `PONTE_MAX_PEERS` | `8` |
 * | `PONTE_MAX_PAYLOAD` | `65536` (bytes) |
 * | `PONTE_PING_TIMEOUT_MS` | `20000` |
 * | `PONTE_MAX_FRAGMENTS` | `1024` |
 * | `PONTE_MAX_BUFFERED_BYTES` | `67108864` |
 * | `PONTE_SEND_STALL_MS` | `10000` |
 * | `PONTE_MAX_QUEUED_CONTROL_FRAMES` | `32` |
 * | `PONTE_HANDSHAKE_TIMEOUT_MS` | `10000` |
 * | `PONTE_ICE_SERVERS` | `[]` (JSON array of RTCIceServer) |
 * | `PONTE_WEB_ROOT` | `apps/web/dist` of this checkout |
 * | `LOG_LEVEL` | `info` |
 *
 * Access control, caps, rate limit and metrics: see `securityFromEnv`. Resume, TURN and
 * relay-only rooms: see `connectivityFromEnv`.
 */
export function configFromEnv(env: Record<string, string | undefined>): ServerConfig {
  const level = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  }
  const host = env.HOST?.trim() || '0.0.0.0';
  return {
    port: integer(env, 'PORT', 0, 65_535) ?? 3000,
    host,
    server: {
      maxPeersPerRoom: integer(env, 'PONTE_MAX_PEERS', 1, 1_000) ?? SERVER_DEFAULTS.maxPeersPerRoom,
      maxPayload: integer(env, 'PONTE_MAX_PAYLOAD', 1_024, 16 * 1024 * 1024) ?? SERVER_DEFAULTS.maxPayload,
      pingTimeoutMs: integer(env, 'PONTE_PING_TIMEOUT_MS', 100, 3_600_000) ?? SERVER_DEFAULTS.pingTimeoutMs,
      maxFragments: integer(env, 'PONTE_MAX_FRAGMENTS', 1, 1_000_000) ?? SERVER_DEFAULTS.maxFragments,
      maxBufferedBytes: integer(env, 'PONTE_MAX_BUFFERED_BYTES', 65_536, 2 ** 31) ?? SERVER_DEFAULTS.maxBufferedBytes,
      sendStallTimeoutMs: integer(env, 'PONTE_SEND_STALL_MS', 100, 3_600_000) ?? SERVER_DEFAULTS.sendStallTimeoutMs,
      maxQueuedControlFrames: integer(env, 'PONTE_MAX_QUEUED_CONTROL_FRAMES', 1, 1_000_000) ?? SERVER_DEFAULTS.maxQueuedControlFrames,
      handshakeTimeoutMs: integer(env, 'PONTE_HANDSHAKE_TIMEOUT_MS', 100, 3_600_000) ?? SERVER_DEFAULTS.handshakeTimeoutMs,
      iceServers: iceServers(env.PONTE_ICE_SERVERS),
      webRoot: env.PONTE_WEB_ROOT?.trim() || DEFAULT_WEB_ROOT,
      logger: { level },
      ...securityFromEnv(env),
      ...connectivityFromEnv(env),
    },
  };
}
