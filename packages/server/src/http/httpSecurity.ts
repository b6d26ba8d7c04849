import { createServer as createHttpServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { WWW_AUTHENTICATE, hasBasicCredentials, hasBearerToken } from './httpAccess.js';
import type { ServerMetrics } from '../observability/ServerMetrics.js';
import type { ResolvedSecurityOptions } from '../config/securityOptions.js';

/**
 * The Content-Security-Policy of every response. The app loads only its own scripts and
 * styles (React sets inline styles through the CSSOM, which `style-src 'self'` allows),
 * shows camera streams (`mediastream:`/`blob:`), and connects to its own WebSocket.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' ws: wss:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers added to every HTTP response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()',
};

/** Paths that basic auth leaves open: health probes, and `/metrics`, which checks on its own. */
const OPEN_PATHS = new Set(['/healthz', '/metrics']);

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/**
 * Adds the security headers to every response and, when `basicAuth` is set, answers every
 * request but `/healthz` and `/metrics` without the right credentials with
 * `401` and `WWW-Authenticate: Basic realm="Ponte"`.
 */
export function registerHttpSecurity(app: FastifyInstance, security: ResolvedSecurityOptions): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  const credentials = security.basicAuth;
  if (credentials === undefined) return;
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_PATHS.has(pathOf(request.url))) return;
    if (hasBasicCredentials(request.headers.authorization, credentials)) return;
    await reply.code(401).header('www-authenticate', WWW_AUTHENTICATE).type('text/plain; charset=utf-8').send('Unauthorized');
  });
}

/**
 * Serves `/metrics`: on the main app, guarded by the metrics bearer token and/or basic
 * auth when either is set (either one is enough), or on a separate port with no guard.
 * Returns the separate server, not yet listening, when there is one.
 */
export function registerMetrics(app: FastifyInstance, metrics: ServerMetrics, security: ResolvedSecurityOptions): Server | undefined {
  const { token, port } = security.metrics;
  if (port !== undefined) {
    return createHttpServer((request, response) => {
      if (request.method !== 'GET' || pathOf(request.url ?? '/') !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found');
        return;
      }
      metrics.registry.metrics().then(
        (body) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        () => response.writeHead(500).end(),
      );
    });
  }
  const basic = security.basicAuth;
  app.get('/metrics', async (request, reply) => {
    const authorization = request.headers.authorization;
    const guarded = token !== undefined || basic !== undefined;
    const allowed =
      !guarded || (token !== undefined && hasBearerToken(authorization, token)) || (basic !== undefined && hasBasicCredentials(authorization, basic));
    if (!allowed) {
      return reply
        .code(401)
        .header('www-authenticate', basic !== undefined ? WWW_AUTHENTICATE : 'Bearer realm="Ponte metrics"')
        .type('text/plain; charset=utf-8')
        .send('Unauthorized');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return undefined;
}
