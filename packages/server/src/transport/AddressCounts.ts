import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Open sockets per client IP address, against `maxConnectionsPerIp`: WebSockets, and TCP
 * connections that have not yet sent a complete request head.
 */
export class AddressCounts {
  readonly #counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Whether `address` is at the limit. */
  full(address: string): boolean {
    return (this.#counts.get(address) ?? 0) >= this.max;
  }

  add(address: string): void {
    this.#counts.set(address, (this.#counts.get(address) ?? 0) + 1);
  }

  remove(address: string): void {
    const open = (this.#counts.get(address) ?? 1) - 1;
    if (open > 0) this.#counts.set(address, open);
    else this.#counts.delete(address);
  }
}

/** What a refused connection is answered, written on the bare socket. */
const TOO_MANY = 'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Counts every TCP connection of `server` toward its address's limit until its first request
 * head is complete (a `request` or an upgrade, which `release` is then called for) or it
 * closes; a connection from an address at the limit is answered 429 and closed at once. So a
 * client cannot hold many sockets open by trickling request headers; Node's `headersTimeout`
 * ends those. Returns `release`, which the upgrade handler calls before counting the socket
 * as a WebSocket, and `stop`.
 *
 * Not used behind a trusted proxy: every connection then comes from the proxy, and the
 * client's address is known only from the request's `X-Forwarded-For`.
 */
export function countUnfinishedRequests(
  server: Server,
  counts: AddressCounts,
  onRefused: () => void,
): { release(socket: Socket): void; stop(): void } {
  const pending = new Map<Socket, string>();
  const release = (socket: Socket): void => {
    const address = pending.get(socket);
    if (address === undefined) return;
    pending.delete(socket);
    socket.off('close', onClose);
    counts.remove(address);
  };
  // Shared listeners: `this` is the socket, so no closure is made per connection.
  function onClose(this: Socket): void {
    release(this);
  }
  const onConnection = (socket: Socket): void => {
    const address = socket.remoteAddress ?? 'unknown';
    if (counts.full(address)) {
      onRefused();
      socket.once('error', () => {});
      socket.end(TOO_MANY);
      socket.destroy();
      return;
    }
    counts.add(address);
    pending.set(socket, address);
    socket.once('close', onClose);
  };
  const onRequest = (request: { socket: Socket }): void => release(request.socket);
  server.on('connection', onConnection);
  server.on('request', onRequest);
  return {
    release,
    stop() {
      server.off('connection', onConnection);
      server.off('request', onRequest);
    },
  };
}
