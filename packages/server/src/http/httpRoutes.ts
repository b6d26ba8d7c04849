import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { Availability } from '../admission/Availability.js';

/**
 * The body of `GET /healthz`. Its HTTP status is 200 when `status` is `ok`, else 503, so that
 * a load balancer sends new clients elsewhere.
 */
export interface HealthStatus {
  /**
   * `ok`: joins and resumes are taken. `unavailable`: the rooms' store cannot be reached (or
   * failed to answer), so joins and resumes are refused until it is back. `draining`: the
   * process is shutting down (`drain()`, `SIGTERM`).
   */
  status: 'ok' | 'unavailable' | 'draining';
  /** This process's id among the processes that share the rooms (`PONTE_NODE_ID`). */
  node: string;
  /** Where the rooms live (`memory` or `redis`), and whether this process can reach them now. */
  store: { kind: string; connected: boolean };
  /** Rooms with at least one peer, over every process sharing the store; null when it cannot be read. */
  rooms: number | null;
  /** Peers in a room, over every process sharing the store; null when it cannot be read. */
  peers: number | null;
}

/** What {@link registerHttpRoutes} needs. */
export interface HttpRoutesOptions {
  registry: RoomRegistry;
  /** Whether the server takes joins now, and where its rooms live. */
  availability: Availability;
  /** The directory to serve, or undefined to serve no static files. */
  webRoot: string | undefined;
}

/**
 * What `/healthz` reports. The counts are not asked of a store that is known to be out of
 * reach (a request to it could wait for its reconnection), and a failure to read them makes
 * the status `unavailable` rather than an error.
 */
async function healthStatus(registry: RoomRegistry, availability: Availability, log: FastifyBaseLogger): Promise<HealthStatus> {
  const { kind, node, connected } = availability.backend();
  const store = { kind, connected };
  let stats: { rooms: number; peers: number } | undefined;
  if (connected) {
    try {
      stats = await registry.stats();
    } catch (error) {
      log.warn({ err: error }, 'health: the room store failed to give its counts');
    }
  }
  const status = availability.draining ? 'draining' : stats === undefined ? 'unavailable' : 'ok';
  return { status, node, store, rooms: stats?.rooms ?? null, peers: stats?.peers ?? null };
}

/** Paths that are never answered with the app's index.html. */
const NO_FALLBACK = /^\/(assets|ws|healthz)(\/|$)/;

function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (NO_FALLBACK.test(request.url)) return false;
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
}

/**
 * Registers `GET /healthz` and, when `webRoot` exists, the static web app with a single-page
 * fallback: any other GET accepting text/html (e.g. `/r/abc123`) gets `index.html`, while an
 * unknown file under `/assets/` is a plain 404.
 */
export async function registerHttpRoutes(app: FastifyInstance, options: HttpRoutesOptions): Promise<void> {
  const { registry, availability, webRoot } = options;

  app.get('/healthz', async (_request, reply): Promise<HealthStatus> => {
    const health = await healthStatus(registry, availability, app.log);
    void reply.code(health.status === 'ok' ? 200 : 503);
    return health;
  });

  if (webRoot === undefined) {
    app.setNotFoundHandler((_request, reply) => notFound(reply));
    return;
  }
  if (!existsSync(webRoot)) {
    app.log.warn({ webRoot }, 'web root does not exist; serving no static files');
    app.setNotFoundHandler((_request, reply) => notFound(reply));
    return;
  }
  await app.register(fastifyStatic, { root: webRoot, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => (wantsPage(request) ? reply.type('text/html; charset=utf-8').sendFile('index.html') : notFound(reply)));
}
