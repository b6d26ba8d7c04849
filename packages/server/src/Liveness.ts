import type { WebSocket } from 'ws';

interface Tracked {
  /** A ping is out and no pong has come back yet. */
  awaitingPong: boolean;
  /** Ticks elapsed since that ping was sent. */
  ticksWaiting: number;
}

/**
 * WebSocket ping/pong liveness. Every `pingTimeoutMs / 2` it pings each socket that is not
 * already awaiting a pong; a socket whose ping stays unanswered for two ticks (that is,
 * `pingTimeoutMs`) is reported through `onTimeout`, which is expected to terminate it.
 *
 * Counting ticks instead of reading clocks keeps the check cheap and free of clock jitter:
 * a dead socket is detected between `pingTimeoutMs` and `1.5 × pingTimeoutMs` after its
 * last pong.
 */
export class Liveness {
  readonly #sockets = new Map<WebSocket, Tracked>();
  readonly #onTimeout: (socket: WebSocket) => void;
  readonly #timer: NodeJS.Timeout;

  /**
   * Starts the ping timer.
   * @param pingTimeoutMs - How long a ping may stay unanswered.
   * @param onTimeout - Called once for a socket that missed its deadline.
   */
  constructor(pingTimeoutMs: number, onTimeout: (socket: WebSocket) => void) {
    this.#onTimeout = onTimeout;
    this.#timer = setInterval(() => this.#tick(), Math.max(1, Math.floor(pingTimeoutMs / 2)));
    // The timer alone must not keep the process alive.
    this.#timer.unref();
  }

  /** Starts watching a socket, until {@link untrack}. */
  track(socket: WebSocket): void {
    const tracked: Tracked = { awaitingPong: false, ticksWaiting: 0 };
    this.#sockets.set(socket, tracked);
    socket.on('pong', () => {
      tracked.awaitingPong = false;
      tracked.ticksWaiting = 0;
    });
  }

  /** Stops watching a socket (call it when the socket closes). */
  untrack(socket: WebSocket): void {
    this.#sockets.delete(socket);
  }

  /** Number of sockets being watched. */
  get size(): number {
    return this.#sockets.size;
  }

  /** Stops the timer. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    for (const [socket, tracked] of this.#sockets) {
      if (socket.readyState !== socket.OPEN) continue;
      if (tracked.awaitingPong) {
        tracked.ticksWaiting += 1;
        if (tracked.ticksWaiting >= 2) {
          this.#sockets.delete(socket);
          this.#onTimeout(socket);
        }
        continue;
      }
      tracked.awaitingPong = true;
      tracked.ticksWaiting = 0;
      socket.ping();
    }
  }
}
