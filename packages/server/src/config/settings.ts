import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { IceServerSchema, type IceServer } from '@ponte/protocol';
import { DEFAULT_TURN_TTL_SECONDS } from '../credentials/turnCredentials.js';
import { anyText, flag, integer, list, oneOf, secret, type Parser } from './envValues.js';
import { SERVER_DEFAULTS } from './options.js';
import { SECURITY_DEFAULTS } from './securityOptions.js';
import { TOPOLOGY_DEFAULTS } from '../media/TopologyPolicy.js';

/**
 * Which part of the configuration a variable belongs to: the address `main.ts` listens on,
 * where its rooms live (`rooms`: which room adapter `main.ts` passes to `createServer`), the
 * SFU it connects to (`sfu`: the bridge `main.ts` passes), or
 * the options of `createServer` (`server`), of which `security` are the
 * {@link SecurityOptions} and `connectivity` the resume, TURN and relay ones.
 */
export type SettingGroup = 'listen' | 'rooms' | 'sfu' | 'server' | 'security' | 'connectivity';

/** One environment variable of the server: the one place it is named, parsed and described. */
export interface Setting {
  /** The environment variable. */
  readonly env: string;
  /** The option it sets: a property path in `ServerOptions` (`rateLimit.burst`), `port`/`host` of `listen`, or a field of `rooms`. */
  readonly option: string;
  readonly group: SettingGroup;
  /** Reads the trimmed, non-empty value; throws an Error naming the variable when it is invalid. */
  readonly parse: Parser;
  /** The value in effect when the variable is unset (from `SERVER_DEFAULTS`/`SECURITY_DEFAULTS` where it is theirs). */
  readonly default?: unknown;
  /** `configFromEnv` writes {@link default} when the variable is unset (else `createServer` applies its own). */
  readonly filled?: true;
  /** The default in words, when it is not a value (Markdown). */
  readonly defaultText?: string;
  /** What it does, in one line (Markdown). */
  readonly description: string;
}

/**
 * The built web app of this checkout, relative to this module (`src/config/` and
 * `dist/config/` sit at the same depth, four levels below the repository's root).
 */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../../apps/web/dist', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const iceServers: Parser = (raw, name): IceServer[] => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${name} must be a JSON array of RTCIceServer objects, but it is not valid JSON`);
  }
  if (!Array.isArray(json)) {
    throw new Error(`${name} must be a JSON array of RTCIceServer objects, e.g. [{"urls":"stun:stun.example.org"}]`);
  }
  return json.map((entry: unknown, index) => {
    const result = IceServerSchema.safeParse(entry);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
    throw new Error(`${name}[${index}]${where}: ${issue?.message ?? 'not an RTCIceServer'}`);
  });
};

const basicAuth: Parser = (raw, name) => {
  const colon = raw.indexOf(':');
  if (colon < 1 || colon === raw.length - 1) throw new Error(`${name} must be "user:password"`);
  return raw;
};

const origins: Parser = (raw) =>
  raw === '*'
    ? '*'
    : raw
        .split(',')
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter((origin) => origin !== '');

const rooms: Parser = (raw, name) => {
  const ids = list(raw, name) as string[];
  return ids.includes('*') ? '*' : ids;
};

const janusUrl: Parser = (raw, name) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL such as ws://127.0.0.1:8188, got something that is not a URL`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`${name} must start with ws:// or wss://, got ${url.protocol}//`);
  return raw;
};

const redisUrl: Parser = (raw, name) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL such as redis://host:6379, got something that is not a URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`${name} must start with redis:// or rediss://, got ${url.protocol}//`);
  }
  return raw;
};

const nodeId: Parser = (raw, name) => {
  if (!/^[\w.:-]{1,128}$/.test(raw)) throw new Error(`${name} must be 1 to 128 letters, digits or . _ : -, got "${raw}"`);
  return raw;
};

/** This process's default name among those sharing rooms: `<hostname>-<pid>`, unique on one host and across hosts. */
export const DEFAULT_NODE_ID = `${hostname()}-${process.pid}`;

const MS_LIMIT = 3_600_000;
const rate = SECURITY_DEFAULTS.rateLimit;

/**
 * Every environment variable the server reads, in the order the README and `--help` list
 * them. `configFromEnv` is derived from it, and so are the README's configuration table
 * (`npm run docs:config`) and `ponte-server --help`.
 */
// One row per setting (its facts, then its description) reads as a table, so Prettier leaves it.
// prettier-ignore
export const SETTINGS: readonly Setting[] = [
  { env: 'PORT', option: 'port', group: 'listen', parse: integer(0, 65_535), default: 3000, filled: true,
    description: 'HTTP and WebSocket port.' },
  { env: 'HOST', option: 'host', group: 'listen', parse: anyText, default: '0.0.0.0', filled: true,
    description: 'Address to listen on.' },
  { env: 'PONTE_MAX_PEERS', option: 'maxPeersPerRoom', group: 'server', parse: integer(1, 1_000), default: SERVER_DEFAULTS.maxPeersPerRoom, filled: true,
    description: 'Most people in one room; one more is refused with `ROOM_FULL`. A mesh sends every stream to everyone, so keep this small.' },
  { env: 'PONTE_MAX_PAYLOAD', option: 'maxPayload', group: 'server', parse: integer(1_024, 16 * 1024 * 1024), default: SERVER_DEFAULTS.maxPayload, filled: true,
    description: 'Largest WebSocket message in bytes (fragments counted together); a larger one closes that socket with code 1009.' },
  { env: 'PONTE_MAX_FRAGMENTS', option: 'maxFragments', group: 'server', parse: integer(1, 1_000_000), default: SERVER_DEFAULTS.maxFragments, filled: true,
    description: 'Most frames one WebSocket message may be split into; the next closes the socket with 1009.' },
  { env: 'PONTE_PING_TIMEOUT_MS', option: 'pingTimeoutMs', group: 'server', parse: integer(100, MS_LIMIT), default: SERVER_DEFAULTS.pingTimeoutMs, filled: true,
    description: 'A socket that does not answer WebSocket pings for this long is dropped and its room told; also how long a close handshake may take.' },
  { env: 'PONTE_MAX_BUFFERED_BYTES', option: 'maxBufferedBytes', group: 'server', parse: integer(65_536, 2 ** 31), default: SERVER_DEFAULTS.maxBufferedBytes, filled: true,
    description: 'Most bytes waiting to be sent to one socket; past this the client is dropped at once.' },
  { env: 'PONTE_SEND_STALL_MS', option: 'sendStallTimeoutMs', group: 'server', parse: integer(100, MS_LIMIT), default: SERVER_DEFAULTS.sendStallTimeoutMs, filled: true,
    description: 'A client with bytes waiting for it, none of which leave for this long, is not reading and is dropped.' },
  { env: 'PONTE_MAX_QUEUED_CONTROL_FRAMES', option: 'maxQueuedControlFrames', group: 'server', parse: integer(1, 1_000_000), default: SERVER_DEFAULTS.maxQueuedControlFrames, filled: true,
    description: 'Most pongs waiting unsent for one socket (a client that pings but does not read); past this it is dropped.' },
  { env: 'PONTE_HANDSHAKE_TIMEOUT_MS', option: 'handshakeTimeoutMs', group: 'server', parse: integer(100, MS_LIMIT), default: SERVER_DEFAULTS.handshakeTimeoutMs, filled: true,
    description: 'How long a connection may take to send its whole HTTP request head (a WebSocket upgrade or any request); past this it gets `408` and is closed.' },
  { env: 'PONTE_ICE_SERVERS', option: 'iceServers', group: 'server', parse: iceServers, default: [], filled: true,
    description: 'STUN/TURN servers handed to clients, as a JSON array of `RTCIceServer`, e.g. `[{"urls":"stun:stun.example.org:3478"}]`. With none, peers connect over host addresses only (same machine or LAN).' },
  { env: 'PONTE_TURN_URLS', option: 'turn.urls', group: 'connectivity', parse: list, defaultText: 'none',
    description: 'TURN URLs (comma list), e.g. `turn:turn.example.org:3478?transport=udp`. With `PONTE_TURN_SECRET`, each peer gets its own time-limited credential (coturn `use-auth-secret`).' },
  { env: 'PONTE_TURN_SECRET', option: 'turn.secret', group: 'connectivity', parse: anyText, defaultText: 'none',
    description: "coturn's `static-auth-secret`; never sent to clients." },
  { env: 'PONTE_TURN_TTL_S', option: 'turn.ttlSeconds', group: 'connectivity', parse: integer(60, 7 * 86_400), default: DEFAULT_TURN_TTL_SECONDS,
    description: 'Lifetime of a TURN credential in seconds; refreshed at half of it during long calls.' },
  { env: 'PONTE_RELAY_ONLY_ROOMS', option: 'relayOnlyRooms', group: 'connectivity', parse: rooms, defaultText: 'none',
    description: '`*` or a comma list of room ids that must connect through TURN only.' },
  { env: 'PONTE_SECRET', option: 'secret', group: 'connectivity', parse: secret, defaultText: 'random per process',
    description: 'Signs resume tokens (16+ characters). Give every process the same one, so a call survives a restart or a move to another process.' },
  { env: 'PONTE_RESUME_TTL_S', option: 'resumeTokenTtlSeconds', group: 'connectivity', parse: integer(60, 7 * 86_400), default: SERVER_DEFAULTS.resumeTokenTtlSeconds,
    description: 'Lifetime of a resume token in seconds; refreshed at half of it.' },
  { env: 'PONTE_RECONNECT_GRACE_MS', option: 'reconnectGraceMs', group: 'connectivity', parse: integer(0, 600_000), default: SERVER_DEFAULTS.reconnectGraceMs,
    description: 'How long a peer whose connection broke keeps its place (and its queued signals) so it can resume unseen; `0` announces every close at once.' },
  { env: 'REDIS_URL', option: 'redisUrl', group: 'rooms', parse: redisUrl, defaultText: 'none',
    description: 'Share rooms with the other server processes on this Redis (`redis://` or `rediss://`; needs `@ponte/redis` installed beside the server). Unset: rooms live in this process\'s memory and nothing else is needed. Needs `PONTE_SECRET`, the same on every process. If Redis cannot be reached at start, the server exits with code 1. See docs/scaling.md.' },
  { env: 'PONTE_NODE_ID', option: 'nodeId', group: 'rooms', parse: nodeId, default: DEFAULT_NODE_ID, filled: true, defaultText: '`<hostname>-<pid>`',
    description: 'This process\'s name among those sharing the rooms, as `/healthz` reports it.' },
  { env: 'PONTE_JANUS_URL', option: 'janusUrl', group: 'sfu', parse: janusUrl, defaultText: 'none',
    description: 'Carry rooms too large for a mesh through this Janus (its WebSocket API, `ws://` or `wss://`; needs `@ponte/janus` beside the server and `PONTE_SECRET`). Unset: every room is a mesh of at most 8. If Janus cannot be reached at start, the server exits with code 1. See docs/sfu.md.' },
  { env: 'PONTE_JANUS_API_SECRET', option: 'apiSecret', group: 'sfu', parse: secret, defaultText: 'none',
    description: 'Janus\'s `api_secret`, when it sets one.' },
  { env: 'PONTE_JANUS_ADMIN_KEY', option: 'adminKey', group: 'sfu', parse: anyText, defaultText: 'none',
    description: 'The VideoRoom plugin\'s `admin_key`, when it sets one (needed to create rooms).' },
  { env: 'PONTE_SFU_FROM', option: 'topology.sfuFrom', group: 'server', parse: integer(2, 1_000), default: TOPOLOGY_DEFAULTS.sfuFrom,
    description: 'With Janus, a room switches to the SFU when this many people are in it.' },
  { env: 'PONTE_MESH_AT_MOST', option: 'topology.meshAtMost', group: 'server', parse: integer(1, 999), defaultText: '`PONTE_SFU_FROM` − 2 (3), at least 1',
    description: 'With Janus, an SFU room switches back to a mesh when it is down to this many people (less than `PONTE_SFU_FROM`).' },
  { env: 'PONTE_SFU_MAX_PEERS', option: 'sfuMaxPeersPerRoom', group: 'server', parse: integer(1, 1_000), default: SERVER_DEFAULTS.sfuMaxPeersPerRoom,
    description: 'With Janus, the most people one room admits (without it, `PONTE_MAX_PEERS`).' },
  { env: 'PONTE_DRAIN_TIMEOUT_MS', option: 'drainTimeoutMs', group: 'server', parse: integer(0, MS_LIMIT), default: SERVER_DEFAULTS.drainTimeoutMs, filled: true,
    description: 'On `SIGTERM`, how long the server waits for its clients to go (told to reconnect elsewhere, close code 1012, their places held for `PONTE_RECONNECT_GRACE_MS`) before it exits anyway.' },
  { env: 'PONTE_WEB_ROOT', option: 'webRoot', group: 'server', parse: anyText, default: DEFAULT_WEB_ROOT, filled: true, defaultText: '`apps/web/dist`',
    description: 'The built web app to serve.' },
  { env: 'LOG_LEVEL', option: 'logger.level', group: 'server', parse: oneOf(LOG_LEVELS), default: 'info', filled: true,
    description: 'pino log level (`fatal` … `trace`, `silent`). Logs never contain SDP, ICE candidates or names in bulk.' },
  { env: 'BASIC_AUTH', option: 'basicAuth', group: 'security', parse: basicAuth, defaultText: 'none',
    description: '`user:password`: every page, route and the WebSocket need these HTTP basic credentials (`/healthz` stays open).' },
  { env: 'PONTE_ALLOWED_ORIGINS', option: 'allowedOrigins', group: 'security', parse: origins, defaultText: 'same origin',
    description: 'Comma list of origins allowed to open the WebSocket, or `*`; others get 403. By default the `Origin` host must equal `Host`; upgrades without `Origin` (non-browser clients) are allowed.' },
  { env: 'PONTE_TOKEN_SECRET', option: 'tokenSecret', group: 'security', parse: secret, defaultText: 'none',
    description: 'HS256 secret (16+ characters) that join tokens are signed with.' },
  { env: 'PONTE_REQUIRE_TOKEN', option: 'requireToken', group: 'security', parse: flag, default: false,
    description: '`true`: every join needs a valid join token (`TOKEN_REQUIRED`).' },
  { env: 'PONTE_PASSWORD_MAX_DELAY_MS', option: 'passwordMaxDelayMs', group: 'security', parse: integer(0, MS_LIMIT), default: SECURITY_DEFAULTS.passwordMaxDelayMs,
    description: `Longest delay before answering a wrong room password (it doubles from ${SECURITY_DEFAULTS.passwordDelayMs / 1000} s after ${SECURITY_DEFAULTS.passwordFreeAttempts} free failures per address and room).` },
  { env: 'PONTE_RATE_LIMIT', option: 'rateLimit.framesPerSecond', group: 'security', parse: integer(0, 1_000_000), default: rate.framesPerSecond,
    description: `Frames per second per connection, sustained (\`0\`: no limit). Over it: \`RATE_LIMITED\`; more than ${rate.closeAfter} of those in ${rate.closeWindowMs / 1000} s: close 1008.` },
  { env: 'PONTE_RATE_BURST', option: 'rateLimit.burst', group: 'security', parse: integer(1, 1_000_000), default: rate.burst,
    description: 'Frames a connection may send at once (a newcomer in an 8-person room sends about 92 in its first second).' },
  { env: 'PONTE_MAX_CONNECTIONS_PER_IP', option: 'maxConnectionsPerIp', group: 'security', parse: integer(1, 1_000_000), default: SECURITY_DEFAULTS.maxConnectionsPerIp,
    description: 'Open WebSockets per client IP; one more gets 429.' },
  { env: 'PONTE_MAX_ROOMS', option: 'maxRooms', group: 'security', parse: integer(1, 10_000_000), default: SECURITY_DEFAULTS.maxRooms,
    description: 'Rooms at once; a join creating one more gets `SERVER_FULL`.' },
  { env: 'PONTE_MAX_SERVER_PEERS', option: 'maxPeers', group: 'security', parse: integer(1, 10_000_000), default: SECURITY_DEFAULTS.maxPeers,
    description: 'Peers in rooms at once, over all rooms; one more gets `SERVER_FULL`.' },
  { env: 'PONTE_TRUST_PROXY', option: 'trustProxy', group: 'security', parse: flag, default: false,
    description: '`true` behind a reverse proxy: the client IP is the last `X-Forwarded-For` entry.' },
  { env: 'PONTE_METRICS', option: 'metrics.enabled', group: 'security', parse: flag, default: true,
    description: '`false` turns `/metrics` off.' },
  { env: 'PONTE_METRICS_TOKEN', option: 'metrics.token', group: 'security', parse: anyText, defaultText: 'none',
    description: 'Bearer token that `/metrics` requires (basic auth credentials also work).' },
  { env: 'PONTE_METRICS_PORT', option: 'metrics.port', group: 'security', parse: integer(0, 65_535), defaultText: 'main port',
    description: 'Serve `/metrics` only on this separate port, without authentication.' },
];

/** The default of `setting` as the docs show it (Markdown). */
export function defaultText(setting: Setting): string {
  if (setting.defaultText !== undefined) return setting.defaultText;
  return `\`${typeof setting.default === 'string' ? setting.default : JSON.stringify(setting.default)}\``;
}
