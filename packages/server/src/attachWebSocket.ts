import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ClientSessionDeps } from './ClientSession.js';
import { Connection } from './Connection.js';
import { Liveness } from './Liveness.js';
import type { RoomRegistry } from './RoomRegistry.js';
import type { SessionCredentials } from './SessionCredentials.js';
import { clientIp, hasBasicCredentials, isOriginAllowed, WWW_AUTHENTICATE } from './httpAccess.js';
import type { JoinGate } from './JoinGate.js';
import type { ResolvedSecurityOptions } from './securityOptions.js';
import type { ServerMetrics } from './ServerMetrics.js';

/** The path WebSocket clients connect to. */
export const WEBSOCKET_PATH = '/ws';

/** What {@link attachWebSocket} needs. */
export interface WebSocketTransportOptions {
  registry: RoomRegistry;
  credentials: SessionCredentials;
  /** Largest inbound message in bytes; larger ones close the socket with 1009. */
  maxPayload: number;
  /** See `ServerOptions.pingTimeoutMs`. */
  pingTimeoutMs: number;
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

const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
const UNAUTHORIZED = `HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: ${WWW_AUTHENTICATE}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
const FORBIDDEN_ORIGIN = 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
const TOO_MANY = 'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

function rejectUpgrade(socket: Duplex, response = NOT_FOUND): void {
  // The socket may already be gone; a write error here is of no interest.
  socket.once('error', () => {});
  socket.end(response);
  socket.destroy();
}

/**
 * Accepts WebSocket upgrades at {@link WEBSOCKET_PATH} on `server` (any other path gets a
 * 404 and the socket is destroyed), runs ping/pong liveness, and gives each connection a
 * {@link ClientSession}. Per-message deflate is off: frames are small and mostly SDP, and
 * compression costs memory per socket.
 */
export function attachWebSocket(server: Server, options: WebSocketTransportOptions): WebSocketTransport {
  const { log } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, perMessageDeflate: false });
  const connections = new Map<WebSocket, Connection>();
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
    // handleUpgrade calls back synchronously, so the count above cannot be overtaken.
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request, address));
  };
  server.on('upgrade', onUpgrade);

  const sessionDeps: ClientSessionDeps = {
    registry: options.registry,
    credentials: options.credentials,
    log,
    gate: options.gate,
    metrics: options.metrics,
  };

  // One set of listeners for every socket (`this` is the socket), not closures per connection.
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    connections.get(this)?.receive(data, isBinary);
  }
  function onError(this: WebSocket, error: Error): void {
    const connection = connections.get(this);
    connection?.fault();
    // ws closes the socket itself (1009 for an oversized message); log the cause only.
    const code = (error as { code?: string }).code;
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') options.metrics?.error('CLOSED_1009');
    log.info({ conn: connection?.conn, err: { message: error.message, code } }, 'socket error');
  }
  function onClose(this: WebSocket, code: number): void {
    const connection = connections.get(this);
    if (connection === undefined) return;
    connections.delete(this);
    liveness.untrack(this);
    const open = (perAddress.get(connection.address) ?? 1) - 1;
    if (open > 0) perAddress.set(connection.address, open);
    else perAddress.delete(connection.address);
    const { session, reason } = connection;
    const hold = connection.closed(code, shuttingDown);
    log.info({ conn: connection.conn, code, peer: session.peerId, room: session.room, reason, hold }, 'connection closed');
  }

  function accept(ws: WebSocket, request: IncomingMessage, address: string): void {
    const connection = new Connection(ws, address, nextConnectionId++, sessionDeps, options.security.rateLimit);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    connections.set(ws, connection);
    liveness.track(ws);
    log.info({ conn: connection.conn, remote: request.socket.remoteAddress }, 'connection open');
    ws.on('message', onMessage);
    ws.on('error', onError);
    // 'close' comes once; `on` spares the wrapper `once` would keep for every idle socket.
    ws.on('close', onClose);
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
      for (const [ws] of open) ws.close(1001, 'server shutting down');
      const ended = Promise.all(open.map(([, connection]) => connection.ended()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.shutdownTimeoutMs);
      });
      await Promise.race([ended, timedOut]);
      clearTimeout(timer);
      for (const [ws] of open) ws.terminate();
      await ended;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
