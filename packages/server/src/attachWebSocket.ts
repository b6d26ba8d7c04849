import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { ClientSessionDeps } from './ClientSession.js';
import { Connection } from './Connection.js';
import { Liveness } from './Liveness.js';
import type { RoomRegistry } from './RoomRegistry.js';
import type { SessionCredentials } from './SessionCredentials.js';
import { clientIp, hasBasicCredentials, isOriginAllowed, WWW_AUTHENTICATE } from './httpAccess.js';
import type { JoinGate } from './JoinGate.js';
import type { ResolvedSecurityOptions } from './securityOptions.js';
import type { ServerMetrics } from './ServerMetrics.js';
import { CloseCode } from './websocket/frame.js';
import type { WebSocketProtocolError } from './websocket/FrameReader.js';
import { handshakeResponse, httpRefusal } from './websocket/handshake.js';
import { ServerSocket, type ServerSocketOptions, type SocketEvents } from './websocket/ServerSocket.js';

/** The path WebSocket clients connect to. */
export const WEBSOCKET_PATH = '/ws';

/** What {@link attachWebSocket} needs. */
export interface WebSocketTransportOptions {
  registry: RoomRegistry;
  credentials: SessionCredentials;
  /** Largest inbound message in bytes; larger ones close the socket with 1009. */
  maxPayload: number;
  /** See `ServerOptions.pingTimeoutMs`; also how long a close handshake may take. */
  pingTimeoutMs: number;
  /** See `ServerOptions.maxBufferedBytes`. */
  maxBufferedBytes: number;
  /** See `ServerOptions.shutdownTimeoutMs`. */
  shutdownTimeoutMs: number;
  log: Logger;
  /** Basic auth, origin allow-list, per-IP cap and rate limit of the upgrades and sockets. */
  security: ResolvedSecurityOptions;
  /** Admission checks of `join`. */
  gate?: JoinGate;
  /** Counts frames, errors and refused upgrades. */
  metrics?: ServerMetrics;
}

/** The WebSocket side of the server, as returned by {@link attachWebSocket}. */
export interface WebSocketTransport {
  /** Open WebSocket connections. */
  readonly connections: number;
  /**
   * Closes every socket with 1001 (going away), terminates those still open after the
   * shutdown timeout, and resolves once each of their rooms has been told.
   */
  close(): Promise<void>;
}

const NOT_FOUND = httpRefusal('404 Not Found');
const UNAUTHORIZED = httpRefusal('401 Unauthorized', `WWW-Authenticate: ${WWW_AUTHENTICATE}\r\n`);
const FORBIDDEN_ORIGIN = httpRefusal('403 Forbidden');
const TOO_MANY = httpRefusal('429 Too Many Requests');

function rejectUpgrade(socket: Duplex, response = NOT_FOUND): void {
  // The socket may already be gone; a write error here is of no interest.
  socket.once('error', () => {});
  socket.end(response);
  socket.destroy();
}

/**
 * Accepts WebSocket upgrades at {@link WEBSOCKET_PATH} on `server` (any other path gets a
 * 404 and the socket is destroyed), runs ping/pong liveness, and gives each connection a
 * {@link ClientSession}. The WebSocket protocol is Ponte's own lean implementation
 * ({@link ServerSocket}); no extension is offered (per-message deflate would cost memory
 * per socket for frames that are small and mostly SDP).
 */
export function attachWebSocket(server: Server, options: WebSocketTransportOptions): WebSocketTransport {
  const { log } = options;
  const connections = new Map<ServerSocket, Connection>();
  /** Open sockets per client IP address, for `maxConnectionsPerIp`. */
  const perAddress = new Map<string, number>();
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
  const refreshTimer = setInterval(() => {
    const now = performance.now();
    for (const { session } of connections.values()) session.refreshIfDue(now);
  }, Math.max(1, Math.min(refreshInterval / 8, 2 ** 31 - 1)));
  refreshTimer.unref();

  const sessionDeps: ClientSessionDeps = {
    registry: options.registry,
    credentials: options.credentials,
    log,
    gate: options.gate,
    metrics: options.metrics,
  };

  // One set of handlers for every socket, not closures per connection.
  const events: SocketEvents = {
    message(ws, data, binary) {
      connections.get(ws)?.receive(data, binary);
    },
    pong(ws) {
      liveness.answered(ws);
    },
    error(ws, error: WebSocketProtocolError) {
      const connection = connections.get(ws);
      connection?.fault();
      if (error.closeCode === CloseCode.messageTooBig) options.metrics?.error('CLOSED_1009');
      if (error.closeCode === CloseCode.policyViolation) options.metrics?.error('CLOSED_1008');
      log.info({ conn: connection?.conn, err: { message: error.message, closeCode: error.closeCode } }, 'socket error');
    },
    close(ws, code) {
      const connection = connections.get(ws);
      if (connection === undefined) return;
      connections.delete(ws);
      liveness.untrack(ws);
      const open = (perAddress.get(connection.address) ?? 1) - 1;
      if (open > 0) perAddress.set(connection.address, open);
      else perAddress.delete(connection.address);
      const { session, reason } = connection;
      const hold = connection.closed(code, shuttingDown);
      log.info({ conn: connection.conn, code, peer: session.peerId, room: session.room, reason, hold }, 'connection closed');
    },
  };
  const socketOptions: ServerSocketOptions = {
    maxPayload: options.maxPayload,
    maxBufferedBytes: options.maxBufferedBytes,
    closeTimeoutMs: options.pingTimeoutMs,
    events,
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== WEBSOCKET_PATH) {
      options.metrics?.refusedUpgrade('path');
      rejectUpgrade(socket);
      return;
    }
    const { security } = options;
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
    if ((perAddress.get(address) ?? 0) >= security.maxConnectionsPerIp) {
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
  };
  server.on('upgrade', onUpgrade);

  function accept(ws: ServerSocket, request: IncomingMessage, address: string): void {
    const connection = new Connection(ws, address, nextConnectionId++, sessionDeps, options.security.rateLimit);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    connections.set(ws, connection);
    liveness.track(ws);
    log.info({ conn: connection.conn, remote: request.socket.remoteAddress }, 'connection open');
  }

  return {
    get connections() {
      return connections.size;
    },
    async close() {
      shuttingDown = true;
      liveness.stop();
      clearInterval(refreshTimer);
      server.off('upgrade', onUpgrade);
      const open = [...connections.entries()];
      for (const [ws] of open) ws.close(CloseCode.goingAway, 'server shutting down');
      const ended = Promise.all(open.map(([, connection]) => connection.ended()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.shutdownTimeoutMs);
      });
      await Promise.race([ended, timedOut]);
      clearTimeout(timer);
      for (const [ws] of open) ws.terminate();
      await ended;
    },
  };
}
