import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IceServer } from '@ponte/protocol';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ClientSession } from './ClientSession.js';
import { Liveness } from './Liveness.js';
import type { EncodedFrame } from './RoomAdapter.js';
import type { RoomRegistry } from './RoomRegistry.js';

/** The path WebSocket clients connect to. */
export const WEBSOCKET_PATH = '/ws';

/** What {@link attachWebSocket} needs. */
export interface WebSocketTransportOptions {
  registry: RoomRegistry;
  iceServers: IceServer[];
  /** Largest inbound message in bytes; larger ones close the socket with 1009. */
  maxPayload: number;
  /** See `ServerOptions.pingTimeoutMs`. */
  pingTimeoutMs: number;
  /** See `ServerOptions.shutdownTimeoutMs`. */
  shutdownTimeoutMs: number;
  log: Logger;
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

const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

function rejectUpgrade(socket: Duplex): void {
  // The socket may already be gone; a write error here is of no interest.
  socket.once('error', () => {});
  socket.end(NOT_FOUND);
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
  let nextConnectionId = 1;

  const liveness = new Liveness(options.pingTimeoutMs, (socket) => {
    const connection = connections.get(socket);
    if (connection !== undefined) connection.reason = 'timeout';
    socket.terminate();
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== WEBSOCKET_PATH) {
      rejectUpgrade(socket);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request));
  };
  server.on('upgrade', onUpgrade);

  function accept(ws: WebSocket, request: IncomingMessage): void {
    const connLog = log.child({ conn: nextConnectionId++ });
    const send = (frame: EncodedFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(frame, { binary: false });
    };
    const session = new ClientSession({ registry: options.registry, iceServers: options.iceServers, send, log: connLog });
    let resolveEnded: () => void = () => {};
    const connection: Connection = {
      session,
      reason: 'disconnected',
      ended: new Promise((resolve) => (resolveEnded = resolve)),
    };
    connections.set(ws, connection);
    liveness.track(ws);
    connLog.info({ remote: request.socket.remoteAddress }, 'connection open');

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) session.receiveBinary();
      else session.receive(rawToString(data));
    });
    ws.on('error', (error) => {
      // ws closes the socket itself (1009 for an oversized message); log the cause only.
      connLog.info({ err: { message: error.message, code: (error as { code?: string }).code } }, 'socket error');
    });
    ws.once('close', (code: number) => {
      connections.delete(ws);
      connLog.info({ code, peer: session.peerId, room: session.room, reason: connection.reason }, 'connection closed');
      void session.end(connection.reason).then(resolveEnded, resolveEnded);
    });
  }

  return {
    get connections() {
      return connections.size;
    },
    async close() {
      liveness.stop();
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

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
