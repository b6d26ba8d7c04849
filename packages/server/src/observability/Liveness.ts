import { ReadyState, type ServerSocket } from '../transport/ServerSocket.js';

/** The state of a socket whose last ping was answered (or that was never pinged). */
const ANSWERED = -1;

/**
 * ServerSocket ping/pong liveness. Every `pingTimeoutMs / 2` it pings each socket that is not
 * already awaiting a pong; a socket whose ping stays unanswered for two ticks (that is,
 * `pingTimeoutMs`) is reported through `onTimeout`, which is expected to terminate it.
 *
 * Counting ticks instead of reading clocks keeps the check cheap and free of clock jitter:
 * a dead socket is detected between `pingTimeoutMs` and `1.5 × pingTimeoutMs` after its
 * last pong.
 */
export class Liveness {
  /** Per socket: ticks elapsed since its unanswered ping, or {@link ANSWERED}. */
  readonly #sockets = new Map<ServerSocket, number>();
  readonly #onTimeout: (socket: ServerSocket) => void;
  readonly #timer: NodeJS.Timeout;

  /**
   * Starts the ping timer.
   * @param pingTimeoutMs - How long a ping may stay unanswered.
   * @param onTimeout - Called once for a socket that missed its deadline.
   */
  constructor(pingTimeoutMs: number, onTimeout: (socket: ServerSocket) => void) {
    this.#onTimeout = onTimeout;
    this.#timer = setInterval(() => this.#tick(), Math.max(1, Math.floor(pingTimeoutMs / 2)));
    // The timer alone must not keep the process alive.
    this.#timer.unref();
  }

  /** Starts watching a socket, until {@link untrack}. */
  track(socket: ServerSocket): void {
    this.#sockets.set(socket, ANSWERED);
  }

  /** A pong came from `socket`. */
  answered(socket: ServerSocket): void {
    if (this.#sockets.has(socket)) this.#sockets.set(socket, ANSWERED);
  }

  /** Stops watching a socket (call it when the socket closes). */
  untrack(socket: ServerSocket): void {
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
    for (const [socket, ticks] of this.#sockets) {
      if (socket.readyState !== ReadyState.open) continue;
      if (ticks === ANSWERED) {
        this.#sockets.set(socket, 0);
        socket.ping();
      } else if (ticks + 1 >= 2) {
        this.#sockets.delete(socket);
        this.#onTimeout(socket);
      } else {
        this.#sockets.set(socket, ticks + 1);
      }
    }
  }
}
