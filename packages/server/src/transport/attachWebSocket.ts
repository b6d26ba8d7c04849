import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { SessionServices } from '../dialects/session/SessionServices.js';
import { Connection } from './Connection.js';
import { Liveness } from '../observability/Liveness.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { SessionCredentials } from '../credentials/SessionCredentials.js';
import { clientIp, hasBasicCredentials, isOriginAllowed, WWW_AUTHENTICATE } from '../http/httpAccess.js';
import type { JoinGate } from '../admission/JoinGate.js';
import type { Availability } from '../admission/Availability.js';
import type { ResolvedSecurityOptions } from '../config/securityOptions.js';
import type { ServerMetrics } from '../observability/ServerMetrics.js';
import { CloseCode } from './frame.js';
import type { WebSocketProtocolError } from './FrameReader.js';
import { handshakeResponse, httpRefusal } from './handshake.js';
import { ServerSocket, type ServerSocketOptions, type SocketEvents } from './ServerSocket.js';
import { SendWatch } from './SendWatch.js';
import { AddressCounts, countUnfinishedRequests } from './AddressCounts.js';
import type { SfuBroker } from '../media/SfuBroker.js';

/** The path WebSocket clients connect to. */
export const WEBSOCKET_PATH = '/ws';

/** What {@link attachWebSocket} needs. */
export interface WebSocketTransportOptions {
  registry: RoomRegistry;
  credentials: SessionCredentials;
  /** Largest inbound message in bytes; larger ones close the socket with 1009. */
  maxPayload: number;
  /** See `ServerOptions.maxFragments`. */
  maxFragments: number;
  /** See `ServerOptions.pingTimeoutMs`; also how long a close handshake may take. */
  pingTimeoutMs: number;
  /** See `ServerOptions.maxBufferedBytes`. */
  maxBufferedBytes: number;
  /** See `ServerOptions.sendStallTimeoutMs`. */
  sendStallTimeoutMs: number;
  /** See `ServerOptions.maxQueuedControlFrames`. */
  maxQueuedControlFrames: number;
  /** See `ServerOptions.shutdownTimeoutMs`. */
  shutdownTimeoutMs: number;
  log: Logger;
  /** Basic auth, origin allow-list, per-IP cap and rate limit of the upgrades and sockets. */
  security: ResolvedSecurityOptions;
  /** Admission checks of `join`. */
  gate?: JoinGate;
  /** Whether joins and resumes are taken now; {@link WebSocketTransport.drain} starts its draining. */
  availability: Availability;
  /** Counts frames, errors and refused upgrades. */
  metrics?: ServerMetrics;
  /** The SFU broker, when the server has an SFU. */
  sfu?: SfuBroker | undefined;
}

/** The WebSocket side of the server, as returned by {@link attachWebSocket}. */
export interface WebSocketTransport {
  /** Open WebSocket connections. */
  readonly connections: number;
  /**
   * Stops taking upgrades (503), joins and resumes, closes every socket with 1012 (service
   * restart), terminates those still open after `timeoutMs`, and resolves once each of their
   * sessions has ended. Their peers are held for a resume, as after a broken connection.
   */
  drain(timeoutMs: number): Promise<void>;
  /**
   * Closes every socket with 1001 (going away), terminates those still open after the
   * shutdown timeout, and resolves once each of their rooms has been told.
   */
  close(): Promise<void>;
}

const BAD_REQUEST = httpRefusal('400 Bad Request');
const NOT_FOUND = httpRefusal('404 Not Found');
const INTERNAL_ERROR = httpRefusal('500 Internal Server Error');
const UNAUTHORIZED = httpRefusal('401 Unauthorized', `WWW-Authenticate: ${WWW_AUTHENTICATE}\r\n`);
const FORBIDDEN_ORIGIN = httpRefusal('403 Forbidden');
const TOO_MANY = httpRefusal('429 Too Many Requests');
const DRAINING = httpRefusal('503 Service Unavailable');

function rejectUpgrade(socket: Duplex, response = NOT_FOUND): void {
  // The socket may already be gone; a write error here is of no interest.
  socket.once('error', () => {});
  socket.end(response);
  socket.destroy();
}

/** The path of a request target, or undefined when the target is not a valid URL path. */
function pathOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** The metric label of a socket closed by the server with `closeCode`. */
const CLOSED_LABELS = {
  [CloseCode.protocolError]: 'CLOSED_1002',
  [CloseCode.invalidPayload]: 'CLOSED_1007',
  [CloseCode.policyViolation]: 'CLOSED_1008',
  [CloseCode.messageTooBig]: 'CLOSED_1009',
  [CloseCode.internalError]: 'CLOSED_1011',
} as const;

/**
 * Accepts WebSocket upgrades at {@link WEBSOCKET_PATH} on `server` (any other path gets a
 * 404 and the socket is destroyed), runs ping/pong liveness, and gives each connection a
 * {@link ClientSession}. The WebSocket protocol is Ponte's own lean implementation
 * ({@link ServerSocket}); no extension is offered (per-message deflate would cost memory
 * per socket for frames that are small and mostly SDP).
 */
export function attachWebSocket(server: Server, options: WebSocketTransportOptions): WebSocketTransport {
  const { log, security } = options;
  const connections = new Map<ServerSocket, Connection>();
  /** Open sockets per client IP address, for `maxConnectionsPerIp`. */
  const perAddress = new AddressCounts(security.maxConnectionsPerIp);
  const unfinished = security.trustProxy ? undefined : countUnfinishedRequests(server, perAddress, () => options.metrics?.refusedUpgrade('ip_limit'));
  let nextConnectionId = 1;
  let shuttingDown = false;

  const liveness = new Liveness(options.pingTimeoutMs, (socket) => {
    const connection = connections.get(socket);
    if (connection !== undefined) connection.reason = 'timeout';
    socket.terminate();
  });

  // One timer for every connection's credential refresh (a timer per connection costs memory
  // on every idle socket); a refresh goes out at most an eighth of its interval late.
  const refreshInterval = options.credentials.refreshIntervalMs;
  const refreshTimer = setInterval(
    () => {
      const now = performance.now();
      for (const { session } of connections.values()) session.refreshIfDue(now);
    },
    Math.max(1, Math.min(refreshInterval / 8, 2 ** 31 - 1)),
  );
  refreshTimer.unref();

  const { availability } = options;
  const sessionServices = new SessionServices({
    registry: options.registry,
    credentials: options.credentials,
    log,
    gate: options.gate,
    availability,
    metrics: options.metrics,
    sfu: options.sfu,
  });

  const sendWatch = new SendWatch(options.sendStallTimeoutMs, (ws) => ws.stalled(options.sendStallTimeoutMs));

  // One set of handlers for every socket, not closures per connection.
  const events: SocketEvents = {
    message(ws, data, binary) {
      connections.get(ws)?.receive(data, binary);
    },
    ping(ws) {
      return connections.get(ws)?.ping() ?? false;
    },
    pong(ws) {
      liveness.answered(ws);
    },
    error(ws, error: WebSocketProtocolError) {
      const connection = connections.get(ws);
      connection?.fault();
      const label = CLOSED_LABELS[error.closeCode as keyof typeof CLOSED_LABELS];
      if (label !== undefined) options.metrics?.error(label);
      if (error.closeCode === CloseCode.internalError) {
        log.error({ conn: connection?.conn, err: error.cause }, 'closing a connection whose handling failed (1011)');
      } else {
        log.info({ conn: connection?.conn, err: { message: error.message, closeCode: error.closeCode } }, 'socket error');
      }
    },
    close(ws, code) {
      const connection = connections.get(ws);
      if (connection === undefined) return;
      connections.delete(ws);
      liveness.untrack(ws);
      perAddress.remove(connection.address);
      const { session, reason } = connection;
      const hold = connection.closed(code, shuttingDown);
      log.info({ conn: connection.conn, code, peer: session.peerId, room: session.room, reason, hold }, 'connection closed');
    },
  };
  const socketOptions: ServerSocketOptions = {
    maxPayload: options.maxPayload,
    maxFragments: options.maxFragments,
    maxBufferedBytes: options.maxBufferedBytes,
    maxQueuedControlFrames: options.maxQueuedControlFrames,
    closeTimeoutMs: options.pingTimeoutMs,
    sendWatch,
    events,
  };

  /** Handles an upgrade request; anything unexpected in it answers 500 and closes that socket alone. */
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    unfinished?.release(socket as Socket);
    try {
      upgrade(request, socket, head);
    } catch (error) {
      log.error({ err: error }, 'upgrade failed');
      options.metrics?.error('CLOSED_1011');
      rejectUpgrade(socket, INTERNAL_ERROR);
    }
  };
  server.on('upgrade', onUpgrade);

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = pathOf(request.url);
    if (path === undefined) {
      options.metrics?.refusedUpgrade('handshake');
      rejectUpgrade(socket, BAD_REQUEST);
      return;
    }
    if (path !== WEBSOCKET_PATH) {
      options.metrics?.refusedUpgrade('path');
      rejectUpgrade(socket);
      return;
    }
    if (availability.draining) {
      // The client retries, reaching another process (or this one's successor).
      options.metrics?.refusedUpgrade('draining');
      rejectUpgrade(socket, DRAINING);
      return;
    }
    if (security.basicAuth !== undefined && !hasBasicCredentials(request.headers.authorization, security.basicAuth)) {
      options.metrics?.refusedUpgrade('auth');
      rejectUpgrade(socket, UNAUTHORIZED);
      return;
    }
    if (!isOriginAllowed(request.headers, security.allowedOrigins)) {
      options.metrics?.refusedUpgrade('origin');
      log.info({ origin: request.headers.origin?.slice(0, 200) }, 'upgrade refused: origin not allowed');
      rejectUpgrade(socket, FORBIDDEN_ORIGIN);
      return;
    }
    const address = clientIp(request, security.trustProxy);
    if (perAddress.full(address)) {
      options.metrics?.refusedUpgrade('ip_limit');
      rejectUpgrade(socket, TOO_MANY);
      return;
    }
    const handshake = handshakeResponse(request);
    if (!handshake.ok) {
      options.metrics?.refusedUpgrade('handshake');
      rejectUpgrade(socket, handshake.response);
      return;
    }
    socket.write(handshake.response);
    const ws = new ServerSocket(socket as Socket, socketOptions);
    accept(ws, request, address);
    // Frames the client sent right behind its request.
    if (head.length > 0) ws.receive(head);
  }

  function accept(ws: ServerSocket, request: IncomingMessage, address: string): void {
    const connection = new Connection(ws, address, nextConnectionId++, sessionServices, options.security.rateLimit);
    perAddress.add(address);
    connections.set(ws, connection);
    liveness.track(ws);
    log.info({ conn: connection.conn, remote: request.socket.remoteAddress }, 'connection open');
  }

  /**
   * Closes every open socket with `code`, terminates those still open after `timeoutMs`, and
   * resolves once each of their sessions has ended.
   */
  async function closeEvery(code: number, reason: string, timeoutMs: number): Promise<void> {
    const open = [...connections.entries()];
    for (const [ws] of open) ws.close(code, reason);
    const ended = Promise.all(open.map(([, connection]) => connection.ended()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([ended, timedOut]);
    clearTimeout(timer);
    for (const [ws] of open) ws.terminate();
    await ended;
  }

  return {
    get connections() {
      return connections.size;
    },
    async drain(timeoutMs) {
      availability.startDraining();
      // Every socket that closes from now on is held for a resume, whatever its close code.
      shuttingDown = true;
      log.info({ connections: connections.size, timeoutMs }, 'draining: clients told to reconnect elsewhere');
      await closeEvery(CloseCode.serviceRestart, 'server restarting; reconnect', timeoutMs);
    },
    async close() {
      shuttingDown = true;
      liveness.stop();
      sendWatch.stop();
      clearInterval(refreshTimer);
      unfinished?.stop();
      server.off('upgrade', onUpgrade);
      await closeEvery(CloseCode.goingAway, 'server shutting down', options.shutdownTimeoutMs);
    },
  };
}
