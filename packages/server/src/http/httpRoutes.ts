import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';

/** The body of `GET /healthz`. */
export interface HealthStatus {
  status: 'ok';
  /** Rooms with at least one peer. */
  rooms: number;
  /** Peers in a room. */
  peers: number;
}

/** What {@link registerHttpRoutes} needs. */
export interface HttpRoutesOptions {
  registry: RoomRegistry;
  /** The directory to serve, or undefined to serve no static files. */
  webRoot: string | undefined;
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
  const { registry, webRoot } = options;

  app.get('/healthz', async (): Promise<HealthStatus> => {
    const stats = await registry.stats();
    return { status: 'ok', rooms: stats.rooms, peers: stats.peers };
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
