import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { attachWebSocket, type WebSocketTransport } from './transport/attachWebSocket.js';
import { registerHttpRoutes } from './http/httpRoutes.js';
import { resolveOptions, type ServerOptions } from './config/options.js';
import { RoomRegistry } from './rooms/RoomRegistry.js';
import type { Server as HttpServer } from 'node:http';
import { registerHttpSecurity, registerMetrics } from './http/httpSecurity.js';
import { JoinGate } from './admission/JoinGate.js';
import { Availability } from './admission/Availability.js';
import { ServerMetrics } from './observability/ServerMetrics.js';
import { SfuBroker } from './media/SfuBroker.js';

/** Where a listening server can be reached. */
export interface ListenAddress {
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  /** `http://host:port`; WebSocket clients connect to the same host at `/ws`. */
  url: string;
  /** The bound port of the separate metrics server, when `metrics.port` is set. */
  metricsPort?: number;
}

/** A built, not yet listening, Ponte server: the value of {@link createServer}. */
export interface PonteServer {
  /** The Fastify instance, for tests (`app.inject`) and extra routes before `listen`. */
  readonly app: FastifyInstance;
  /**
   * Starts listening.
   * @param port - Default `0`: any free port.
   * @param host - Default `'127.0.0.1'`.
   */
  listen(port?: number, host?: string): Promise<ListenAddress>;
  /**
   * Drains the server before a restart: from now on WebSocket upgrades get 503, joins and
   * resumes `UNAVAILABLE` ("this server is shutting down; reconnect"), and `/healthz` answers
   * 503 `draining`; every socket is closed with 1012 (service restart), which the SDK takes
   * as "reconnect and resume", and none of their peers is let go: each is held for
   * `reconnectGraceMs`, as after a broken connection, so it can resume on another process.
   * Resolves once every socket is gone, or after `drainTimeoutMs` (those still open are then
   * dropped, and held all the same). Call {@link close} afterwards. Safe to call more than once.
   */
  drain(): Promise<void>;
  /**
   * Closes every WebSocket (1001, then terminate after `shutdownTimeoutMs`), tells their
   * rooms, stops the HTTP server and closes the room seams. Safe to call more than once.
   */
  close(): Promise<void>;
}

/**
 * Builds the signaling server (HTTP routes, static web app, WebSocket transport, rooms)
 * without listening. Throws a RangeError for an invalid limit.
 */
export function createServer(options: ServerOptions = {}): PonteServer {
  const resolved = resolveOptions(options);
  const log = resolved.logger;
  const app = Fastify({
    loggerInstance: log,
    // Node ends a connection whose request head is not complete in time (408), looking often
    // enough that a slow client is dropped close to the limit, not up to 30 s later.
    http: {
      headersTimeout: resolved.handshakeTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(resolved.handshakeTimeoutMs / 4))),
    },
    // Health probes would dominate the log.
    logController: new LogController({ disableRequestLogging: (request) => request.url === '/healthz' }),
  }) as unknown as FastifyInstance;
  const sfu = resolved.sfu === undefined ? undefined : new SfuBroker({ ...resolved.sfu, log });
  const registry = new RoomRegistry({
    adapter: resolved.adapter,
    maxPeersPerRoom: resolved.maxPeersPerRoom,
    reconnectGraceMs: resolved.reconnectGraceMs,
    ...(sfu === undefined
      ? {}
      : {
          onMembershipChange: (room) =>
            sfu.membershipChanged(room).catch((error: unknown) => log.error({ err: error, room }, 'could not decide the room topology')),
        }),
  });
  sfu?.attach(registry);
  const { security } = resolved;
  const metrics = security.metrics.enabled
    ? new ServerMetrics({ connections: () => transport.connections, stats: () => registry.stats() })
    : undefined;
  const gate = new JoinGate(resolved.adapter.store, security, resolved.adapter.passwordFailures);
  const availability = new Availability(resolved.adapter);
  registerHttpSecurity(app, security);
  const metricsServer: HttpServer | undefined = metrics ? registerMetrics(app, metrics, security) : undefined;
  const transport: WebSocketTransport = attachWebSocket(app.server, {
    registry,
    credentials: resolved.credentials,
    maxPayload: resolved.maxPayload,
    maxFragments: resolved.maxFragments,
    maxBufferedBytes: resolved.maxBufferedBytes,
    sendStallTimeoutMs: resolved.sendStallTimeoutMs,
    maxQueuedControlFrames: resolved.maxQueuedControlFrames,
    pingTimeoutMs: resolved.pingTimeoutMs,
    shutdownTimeoutMs: resolved.shutdownTimeoutMs,
    log,
    security,
    gate,
    availability,
    metrics,
    sfu,
  });
  void app.register(registerHttpRoutes, { registry, availability, webRoot: resolved.webRoot });

  let draining: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  return {
    app,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      if (metricsServer === undefined) return { port: bound, url: `http://${urlHost}:${bound}` };
      await new Promise<void>((resolve, reject) => {
        metricsServer.once('error', reject);
        metricsServer.listen(security.metrics.port, host, () => resolve());
      });
      const metricsAddress = metricsServer.address();
      const metricsPort = typeof metricsAddress === 'object' && metricsAddress !== null ? metricsAddress.port : 0;
      return { port: bound, url: `http://${urlHost}:${bound}`, metricsPort };
    },
    drain() {
      draining ??= transport.drain(resolved.drainTimeoutMs);
      return draining;
    },
    close() {
      closing ??= (async () => {
        await transport.close();
        if (metricsServer?.listening) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        await app.close();
        await registry.close();
        await sfu?.close();
      })();
      return closing;
    },
  };
}
