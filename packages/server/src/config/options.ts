import { fileURLToPath } from 'node:url';
import type { IceServer } from '@ponte/protocol';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { MemoryRoomAdapter } from '../rooms/memory/MemoryRoomAdapter.js';
import type { RoomAdapter } from '../rooms/RoomAdapter.js';
import { resolveSecurityOptions, type ResolvedSecurityOptions, type SecurityOptions } from './securityOptions.js';
import { SessionCredentials } from '../credentials/SessionCredentials.js';
import type { TurnOptions } from '../credentials/turnCredentials.js';
import type { SfuBridge } from '../media/SfuBridge.js';
import { topologyOptions, type TopologyOptions } from '../media/TopologyPolicy.js';

/**
 * Options of {@link createServer}. Every limit and timeout has a documented default. Access
 * control, server-wide caps, the rate limit and metrics are in {@link SecurityOptions}.
 */
export interface ServerOptions extends SecurityOptions {
  /** The most peers one room admits; a further join gets `ROOM_FULL`. Default `8`. */
  maxPeersPerRoom?: number;
  /**
   * The largest inbound WebSocket message, in bytes, its fragments counted together. A larger
   * one makes the server close the socket with code 1009 (message too big), as soon as a
   * frame header announces it. It also bounds what an unfinished message can make the server
   * hold for one socket. Default `65536`.
   */
  maxPayload?: number;
  /**
   * Most frames one WebSocket message may be split into; the frame after that closes the
   * socket with 1009. Empty fragments count: they add no bytes but cost work. Browsers send
   * signaling messages unfragmented. Default `1024` (a `maxPayload` message in 64-byte pieces).
   */
  maxFragments?: number;
  /**
   * How long a WebSocket ping may stay unanswered, in milliseconds. The server pings every
   * `pingTimeoutMs / 2`; a socket that misses the deadline is terminated and its room told
   * `peer-left` with reason `timeout`. It is also how long a close handshake may wait for
   * the client's answer before the socket is destroyed. Default `20000`.
   */
  pingTimeoutMs?: number;
  /**
   * Most bytes waiting to be sent to one socket: what bounds the memory a client can make the
   * server queue for it. Past this the socket is dropped at once (no close handshake: its queue
   * is full), counted as `CLOSED_1008`, and its room told it left. A client that is reading
   * gets any burst below this, however slowly it drains it (see `sendStallTimeoutMs`).
   * Default `67108864` (64 MiB: the worst legitimate burst toward one peer, seven others'
   * rate-limit bursts of 200 signals of up to 32 KB, is 45 MiB).
   */
  maxBufferedBytes?: number;
  /**
   * How long bytes may wait for a socket with none of them leaving, in milliseconds: such a
   * client is not reading, and is dropped like one over `maxBufferedBytes`. Default `10000`.
   */
  sendStallTimeoutMs?: number;
  /**
   * Most pongs waiting unsent for one socket (a client that pings but does not read). Past this
   * the socket is dropped, counted as `CLOSED_1008`. Pings also take a token of the rate
   * limit; one over it goes unanswered. Default `32`.
   */
  maxQueuedControlFrames?: number;
  /**
   * How long a new TCP connection (or the next request on a kept-alive one) may take to send
   * its complete request head, in milliseconds; past this it is answered `408` and closed.
   * Until its head is complete a connection counts toward `maxConnectionsPerIp` (unless
   * `trustProxy` is set, as the proxy then holds the slow clients). Default `10000`.
   */
  handshakeTimeoutMs?: number;
  /** ICE (STUN/TURN) servers handed to every client in `joined`. Default `[]`. */
  iceServers?: IceServer[];
  /**
   * A directory of static files (the built web app) to serve, with `index.html` as the
   * fallback for page routes. Default: none, no static files are served.
   */
  webRoot?: string | URL;
  /**
   * A pino logger, or options to create one, or `false` for no logs.
   * Default `{ level: 'info' }`.
   */
  logger?: Logger | LoggerOptions | false;
  /**
   * The room seams: membership (`store`), delivery wherever a peer's socket is (`bus`) and
   * grace holds and replay logs (`sessions`). Default: a new {@link MemoryRoomAdapter}. The
   * server closes it on `close()`.
   */
  adapter?: RoomAdapter;
  /**
   * An SFU (`@ponte/janus`'s bridge) for rooms too large for a mesh: rooms switch to it as
   * they grow (`topology`), and may then hold `sfuMaxPeersPerRoom` people. Default: none, every
   * room is a mesh of at most `maxPeersPerRoom`. The server closes it on `close()`.
   */
  sfu?: SfuBridge;
  /** When rooms switch between mesh and SFU (with `sfu`). Default: SFU from 5 people, back to mesh at 3 (`sfuFrom - 2`). */
  topology?: Partial<TopologyOptions>;
  /**
   * With `sfu`, the most people one room admits (rooms switch to the SFU long before). Default
   * `50`. `maxPeersPerRoom` then bounds a room that falls back to a mesh while the SFU is away.
   */
  sfuMaxPeersPerRoom?: number;
  /**
   * On `close()`, how long open sockets get to finish their close handshake before they are
   * terminated, in milliseconds. Default `2000`.
   */
  shutdownTimeoutMs?: number;
  /**
   * On `drain()`, how long clients get to go, in milliseconds: each socket is closed with
   * 1012 (service restart) so that its client reconnects, to another process, and resumes;
   * those still open after this are dropped. Either way their peers are held for
   * `reconnectGraceMs`, as after a broken connection. Default `10000`.
   */
  drainTimeoutMs?: number;
  /**
   * Signs resume tokens, so a client can come back as the same peer after a lost connection
   * or a server restart. Give every process of a deployment the same secret. Default: a
   * random secret per process (resume then works only while that process lives).
   */
  secret?: string;
  /** How long a resume token stays valid, in seconds; clients get a fresh one every half of it. Default `3600`. */
  resumeTokenTtlSeconds?: number;
  /**
   * How long the membership of a peer whose socket broke (no close handshake) is held for it
   * to resume, in milliseconds. Frames addressed to it meanwhile are queued. A clean close
   * or `leave` is announced at once. `0` announces every close at once. Default `15000`.
   */
  reconnectGraceMs?: number;
  /** A TURN server with time-limited credentials (coturn `use-auth-secret`). Default: none. */
  turn?: TurnOptions;
  /** Rooms that must connect through TURN only: `'*'` or a list of room ids. Default: none. */
  relayOnlyRooms?: '*' | readonly string[];
}

/** The defaults of {@link ServerOptions}. */
export const SERVER_DEFAULTS = {
  maxPeersPerRoom: 8,
  maxPayload: 65_536,
  maxFragments: 1_024,
  pingTimeoutMs: 20_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  sendStallTimeoutMs: 10_000,
  maxQueuedControlFrames: 32,
  handshakeTimeoutMs: 10_000,
  shutdownTimeoutMs: 2_000,
  drainTimeoutMs: 10_000,
  sfuMaxPeersPerRoom: 50,
  resumeTokenTtlSeconds: 3_600,
  reconnectGraceMs: 15_000,
} as const;

/** {@link ServerOptions} with every default applied. */
export interface ResolvedServerOptions {
  maxPeersPerRoom: number;
  maxPayload: number;
  maxFragments: number;
  pingTimeoutMs: number;
  maxBufferedBytes: number;
  sendStallTimeoutMs: number;
  maxQueuedControlFrames: number;
  handshakeTimeoutMs: number;
  shutdownTimeoutMs: number;
  drainTimeoutMs: number;
  iceServers: IceServer[];
  webRoot: string | undefined;
  logger: Logger;
  adapter: RoomAdapter;
  /** The SFU and when rooms use it; undefined without one. */
  sfu: { bridge: SfuBridge; topology: TopologyOptions; meshMaxPeers: number } | undefined;
  security: ResolvedSecurityOptions;
  reconnectGraceMs: number;
  credentials: SessionCredentials;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  return value === 0 ? 0 : positiveInteger(name, value);
}

function isLogger(value: Logger | LoggerOptions): value is Logger {
  return typeof (value as Partial<Logger>).child === 'function';
}

/** Applies the defaults and checks the limits; throws a RangeError for a bad one. */
export function resolveOptions(options: ServerOptions = {}): ResolvedServerOptions {
  const logger =
    options.logger === false
      ? pino({ enabled: false })
      : options.logger === undefined
        ? pino({ level: 'info' })
        : isLogger(options.logger)
          ? options.logger
          : pino(options.logger);
  const webRoot = options.webRoot instanceof URL ? fileURLToPath(options.webRoot) : options.webRoot;
  return {
    maxPeersPerRoom:
      options.sfu === undefined
        ? positiveInteger('maxPeersPerRoom', options.maxPeersPerRoom ?? SERVER_DEFAULTS.maxPeersPerRoom)
        : positiveInteger('sfuMaxPeersPerRoom', options.sfuMaxPeersPerRoom ?? SERVER_DEFAULTS.sfuMaxPeersPerRoom),
    maxPayload: positiveInteger('maxPayload', options.maxPayload ?? SERVER_DEFAULTS.maxPayload),
    pingTimeoutMs: positiveInteger('pingTimeoutMs', options.pingTimeoutMs ?? SERVER_DEFAULTS.pingTimeoutMs),
    maxFragments: positiveInteger('maxFragments', options.maxFragments ?? SERVER_DEFAULTS.maxFragments),
    maxBufferedBytes: positiveInteger('maxBufferedBytes', options.maxBufferedBytes ?? SERVER_DEFAULTS.maxBufferedBytes),
    sendStallTimeoutMs: positiveInteger('sendStallTimeoutMs', options.sendStallTimeoutMs ?? SERVER_DEFAULTS.sendStallTimeoutMs),
    maxQueuedControlFrames: positiveInteger('maxQueuedControlFrames', options.maxQueuedControlFrames ?? SERVER_DEFAULTS.maxQueuedControlFrames),
    handshakeTimeoutMs: positiveInteger('handshakeTimeoutMs', options.handshakeTimeoutMs ?? SERVER_DEFAULTS.handshakeTimeoutMs),
    shutdownTimeoutMs: positiveInteger('shutdownTimeoutMs', options.shutdownTimeoutMs ?? SERVER_DEFAULTS.shutdownTimeoutMs),
    drainTimeoutMs: nonNegativeInteger('drainTimeoutMs', options.drainTimeoutMs ?? SERVER_DEFAULTS.drainTimeoutMs),
    iceServers: options.iceServers ?? [],
    webRoot,
    logger,
    adapter: options.adapter ?? new MemoryRoomAdapter(),
    sfu:
      options.sfu === undefined
        ? undefined
        : {
            bridge: options.sfu,
            topology: topologyOptions(options.topology),
            meshMaxPeers: positiveInteger('maxPeersPerRoom', options.maxPeersPerRoom ?? SERVER_DEFAULTS.maxPeersPerRoom),
          },
    security: resolveSecurityOptions(options),
    reconnectGraceMs: nonNegativeInteger('reconnectGraceMs', options.reconnectGraceMs ?? SERVER_DEFAULTS.reconnectGraceMs),
    credentials: new SessionCredentials({
      secret: options.secret,
      resumeTokenTtlSeconds: positiveInteger('resumeTokenTtlSeconds', options.resumeTokenTtlSeconds ?? SERVER_DEFAULTS.resumeTokenTtlSeconds),
      iceServers: options.iceServers ?? [],
      turn: options.turn,
      relayOnlyRooms: options.relayOnlyRooms ?? [],
    }),
  };
}
