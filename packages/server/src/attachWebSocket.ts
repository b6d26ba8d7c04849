import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ClientSession } from './ClientSession.js';
import { Liveness } from './Liveness.js';
import type { EncodedFrame } from './RoomAdapter.js';
import type { RoomRegistry } from './RoomRegistry.js';
import type { SessionCredentials } from './SessionCredentials.js';
import { clientIp, hasBasicCredentials, isOriginAllowed, WWW_AUTHENTICATE } from './httpAccess.js';
import type { JoinGate } from './JoinGate.js';
import type { ResolvedSecurityOptions } from './securityOptions.js';
import type { ServerMetrics } from './ServerMetrics.js';
import { TokenBucket } from './TokenBucket.js';

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

interface Connection {
  session: ClientSession;
  /** Why the socket is going away, as its room will be told. */
  reason: 'disconnected' | 'timeout';
  /** Resolves when the session has left its room after the socket closed. */
  ended: Promise<void>;
}

/** The close code `ws` reports when the connection dropped without a close frame. */
const ABNORMAL_CLOSURE = 1006;

const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
const UNAUTHORIZED = `HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: ${WWW_AUTHENTICATE}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
const FORBIDDEN_ORIGIN = 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
const TOO_MANY = 'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/** The close code for a socket that kept sending faster than the rate limit (policy violation). */
export const CLOSE_RATE_LIMITED = 1008;

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

  function accept(ws: WebSocket, request: IncomingMessage, address: string): void {
    const connLog = log.child({ conn: nextConnectionId++ });
    const { metrics } = options;
    const send = (frame: EncodedFrame): void => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(frame.bytes, { binary: false });
      metrics?.frameOut(frame.type);
    };
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    const session = new ClientSession({
      registry: options.registry,
      credentials: options.credentials,
      send,
      log: connLog,
      close: (code, reason) => ws.close(code, reason),
      gate: options.gate,
      address,
      metrics,
    });
    let resolveEnded: () => void = () => {};
    const connection: Connection = {
      session,
      reason: 'disconnected',
      ended: new Promise((resolve) => (resolveEnded = resolve)),
    };
    connections.set(ws, connection);
    liveness.track(ws);
    connLog.info({ remote: request.socket.remoteAddress }, 'connection open');

    const rate = options.security.rateLimit;
    const bucket = rate === false ? undefined : new TokenBucket(rate.framesPerSecond, rate.burst);
    let limitedSince = 0;
    let limitedCount = 0;
    let closedForAbuse = false;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (closedForAbuse) return;
      if (bucket !== undefined && rate !== false && !bucket.take()) {
        const now = performance.now();
        if (now - limitedSince > rate.closeWindowMs) {
          limitedSince = now;
          limitedCount = 0;
        }
        limitedCount += 1;
        if (limitedCount > rate.closeAfter) {
          // Answered like the others, then closed once the answers before it are out.
          closedForAbuse = true;
          connLog.info({ limited: limitedCount }, 'closing a connection that keeps exceeding the rate limit');
          session.receiveLimited(() => {
            metrics?.error('CLOSED_1008');
            ws.close(CLOSE_RATE_LIMITED, 'rate limit exceeded');
          });
          return;
        }
        session.receiveLimited();
        return;
      }
      if (isBinary) session.receiveBinary();
      else session.receive(rawToBuffer(data));
    });
    // Set when `ws` closes the socket for a protocol violation (e.g. 1009): no resume hold then.
    let faulted = false;
    ws.on('error', (error) => {
      faulted = true;
      // ws closes the socket itself (1009 for an oversized message); log the cause only.
      if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics?.error('CLOSED_1009');
      connLog.info({ err: { message: error.message, code: (error as { code?: string }).code } }, 'socket error');
    });
    // 'close' comes once; `on` spares the wrapper `once` would keep for every idle socket.
    ws.on('close', (code: number) => {
      connections.delete(ws);
      liveness.untrack(ws);
      const open = (perAddress.get(address) ?? 1) - 1;
      if (open > 0) perAddress.set(address, open);
      else perAddress.delete(address);
      // A socket that broke without a close handshake, or one we close to shut down, keeps
      // its room membership for the grace period so that the client can resume.
      const hold = shuttingDown || (code === ABNORMAL_CLOSURE && connection.reason === 'disconnected' && !faulted);
      connLog.info({ code, peer: session.peerId, room: session.room, reason: connection.reason, hold }, 'connection closed');
      void session.end(connection.reason, hold).then(resolveEnded, resolveEnded);
    });
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
      const ended = Promise.all(open.map(([, connection]) => connection.ended));
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

function rawToBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}
