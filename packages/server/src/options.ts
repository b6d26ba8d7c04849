import { fileURLToPath } from 'node:url';
import type { IceServer } from '@ponte/protocol';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { MemoryRoomAdapter } from './MemoryRoomAdapter.js';
import type { RoomAdapter } from './RoomAdapter.js';

/** Options of {@link createServer}. Every limit and timeout has a documented default. */
export interface ServerOptions {
  /** The most peers one room admits; a further join gets `ROOM_FULL`. Default `8`. */
  maxPeersPerRoom?: number;
  /**
   * The largest inbound WebSocket message, in bytes. A larger one makes the server close the
   * socket with code 1009 (message too big). Default `65536`.
   */
  maxPayload?: number;
  /**
   * How long a WebSocket ping may stay unanswered, in milliseconds. The server pings every
   * `pingTimeoutMs / 2`; a socket that misses the deadline is terminated and its room told
   * `peer-left` with reason `timeout`. Default `20000`.
   */
  pingTimeoutMs?: number;
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
   * Room membership and delivery. Default: a new {@link MemoryRoomAdapter}. The server
   * closes it on `close()`.
   */
  adapter?: RoomAdapter;
  /**
   * On `close()`, how long open sockets get to finish their close handshake before they are
   * terminated, in milliseconds. Default `2000`.
   */
  shutdownTimeoutMs?: number;
}

/** The defaults of {@link ServerOptions}. */
export const SERVER_DEFAULTS = {
  maxPeersPerRoom: 8,
  maxPayload: 65_536,
  pingTimeoutMs: 20_000,
  shutdownTimeoutMs: 2_000,
} as const;

/** {@link ServerOptions} with every default applied. */
export interface ResolvedServerOptions {
  maxPeersPerRoom: number;
  maxPayload: number;
  pingTimeoutMs: number;
  shutdownTimeoutMs: number;
  iceServers: IceServer[];
  webRoot: string | undefined;
  logger: Logger;
  adapter: RoomAdapter;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
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
    maxPeersPerRoom: positiveInteger('maxPeersPerRoom', options.maxPeersPerRoom ?? SERVER_DEFAULTS.maxPeersPerRoom),
    maxPayload: positiveInteger('maxPayload', options.maxPayload ?? SERVER_DEFAULTS.maxPayload),
    pingTimeoutMs: positiveInteger('pingTimeoutMs', options.pingTimeoutMs ?? SERVER_DEFAULTS.pingTimeoutMs),
    shutdownTimeoutMs: positiveInteger(
      'shutdownTimeoutMs',
      options.shutdownTimeoutMs ?? SERVER_DEFAULTS.shutdownTimeoutMs,
    ),
    iceServers: options.iceServers ?? [],
    webRoot,
    logger,
    adapter: options.adapter ?? new MemoryRoomAdapter(),
  };
}
