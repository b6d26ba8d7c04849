import type { ServerSocket } from './ServerSocket.js';

/** Where a watched socket's queue stood at the last look. */
interface Progress {
  /** Bytes of finished writes. */
  written: number;
  /** Bytes of the write under way that the kernel has not taken yet. */
  unsent: number;
  /** When the queue last moved (`performance.now()`). */
  since: number;
}

/**
 * Bytes of `socket`'s finished writes: `bytesWritten` counts queued bytes too, and
 * `writableLength` counts both the queued bytes and the write under way.
 */
function written(socket: ServerSocket): number {
  return socket.socket.bytesWritten - socket.socket.writableLength;
}

/**
 * Bytes of the write under way that the kernel has not taken yet. Node hands its whole queue
 * to libuv as one write, which finishes only when the last byte is taken; libuv's own count
 * shows the bytes leaving before that.
 */
function unsent(socket: ServerSocket): number {
  const handle = (socket.socket as unknown as { _handle?: { writeQueueSize?: number } })._handle;
  return handle?.writeQueueSize ?? 0;
}

/**
 * Tells a client that has stopped reading from one that is slow or absorbing a burst. Node
 * queues what a socket writes only once the kernel's send buffer is full, so a socket with
 * bytes queued none of which leave for `stallMs` has a client that is not reading: it is
 * handed to `onStalled` (expected to drop it). A socket whose queue keeps moving, however
 * long it is, is left alone; `maxBufferedBytes` bounds its memory.
 *
 * One timer for every socket; only sockets with a queue are looked at.
 */
export class SendWatch {
  readonly #watched = new Map<ServerSocket, Progress>();
  readonly #stallMs: number;
  readonly #onStalled: (socket: ServerSocket) => void;
  readonly #timer: NodeJS.Timeout;

  /**
   * Starts the timer, which looks every `stallMs / 4`: a stall is found between `stallMs`
   * and `1.25 × stallMs` after the last byte left.
   */
  constructor(stallMs: number, onStalled: (socket: ServerSocket) => void) {
    this.#stallMs = stallMs;
    this.#onStalled = onStalled;
    this.#timer = setInterval(() => this.#sweep(), Math.max(1, Math.floor(stallMs / 4)));
    this.#timer.unref();
  }

  /** `socket` has bytes queued: watch it until its queue is empty. */
  watch(socket: ServerSocket): void {
    if (!this.#watched.has(socket)) this.#watched.set(socket, { written: written(socket), unsent: unsent(socket), since: performance.now() });
  }

  /** Stops watching `socket` (it closed). */
  forget(socket: ServerSocket): void {
    this.#watched.delete(socket);
  }

  /** Sockets with a queue right now. */
  get size(): number {
    return this.#watched.size;
  }

  /** Stops the timer. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #sweep(): void {
    const now = performance.now();
    for (const [socket, progress] of this.#watched) {
      if (socket.socket.writableLength === 0) {
        this.#watched.delete(socket);
        continue;
      }
      const done = written(socket);
      const left = unsent(socket);
      // A write finished, or the one under way shrank: the client is reading.
      const moved = done > progress.written || left < progress.unsent;
      progress.written = done;
      progress.unsent = left;
      if (moved) {
        progress.since = now;
      } else if (now - progress.since >= this.#stallMs) {
        this.#watched.delete(socket);
        this.#onStalled(socket);
      }
    }
  }
}
