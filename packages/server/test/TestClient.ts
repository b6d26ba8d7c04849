import { parseServerFrame, PROTOCOL_VERSION, type JoinedFrame, type ServerFrame } from '@ponte/protocol';
import { WebSocket, type ClientOptions } from 'ws';
import { messageText } from './messageText.js';

/** How long a test waits for an expected event before failing. */
export const WAIT_MS = 3_000;

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

interface Waiter {
  predicate: (frame: ServerFrame) => boolean;
  /** When true, the next unconsumed frame must match or the wait fails. */
  strict: boolean;
  resolve: (frame: ServerFrame) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A real `ws` client for integration tests. Every frame the server sends is validated with
 * the protocol and recorded; tests await frames by event (`next`, `waitFor`), never by time.
 */
export class TestClient {
  /** Every frame received, in order. */
  readonly frames: ServerFrame[] = [];
  /** Resolves with the close code and reason once the socket closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;
  #cursor = 0;
  #waiters: Waiter[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        for (const waiter of this.#waiters.splice(0)) {
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`socket closed (${code}) while waiting for a frame`));
        }
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('message', (data, isBinary) => {
      const parsed = parseServerFrame(isBinary ? '' : messageText(data));
      if (!parsed.ok) throw new Error(`server sent an invalid frame: ${parsed.message}`);
      this.frames.push(parsed.frame);
      this.#settle();
    });
  }

  /** Opens a connection to `${baseUrl}/ws` (or `path`) and resolves once it is open. */
  static async connect(baseUrl: string, options: ClientOptions & { path?: string } = {}): Promise<TestClient> {
    const { path = '/ws', ...clientOptions } = options;
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + path, clientOptions);
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Sends an object as JSON, or a string as is. */
  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a join and resolves with the `joined` answer. */
  async join(room: string, name = 'Ana'): Promise<JoinedFrame> {
    this.send({ type: 'join', version: PROTOCOL_VERSION, room, name });
    return this.next('joined');
  }

  /** Resolves with the next unconsumed frame; fails if it is not of `type`. */
  next<T extends ServerFrame['type']>(type: T, timeoutMs = WAIT_MS): Promise<FrameOf<T>> {
    return this.#wait((frame) => frame.type === type, true, timeoutMs, `next "${type}"`) as Promise<FrameOf<T>>;
  }

  /** Resolves with the first unconsumed frame matching `predicate`, consuming those before it. */
  waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs = WAIT_MS): Promise<ServerFrame> {
    return this.#wait(predicate, false, timeoutMs, 'a matching frame');
  }

  /** Resolves with the next `error` frame, which must come next. */
  nextError(): Promise<FrameOf<'error'>> {
    return this.next('error');
  }

  /**
   * Round-trips a WebSocket ping. Once it resolves, every frame the server wrote to this
   * socket before it saw the ping has been received: a deterministic "nothing else came".
   */
  async barrier(timeoutMs = WAIT_MS): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong')), timeoutMs);
      this.ws.once('pong', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.ping();
    });
  }

  /** Frames received but not yet consumed by `next` / `waitFor`. */
  get unread(): ServerFrame[] {
    return this.frames.slice(this.#cursor);
  }

  /** Closes the socket and resolves once it is closed. */
  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    await this.closed;
  }

  #wait(predicate: (frame: ServerFrame) => boolean, strict: boolean, timeoutMs: number, what: string): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; unread: ${JSON.stringify(this.unread)}`));
      }, timeoutMs);
      const waiter: Waiter = { predicate, strict, resolve, reject, timer };
      this.#waiters.push(waiter);
      this.#settle();
    });
  }

  #settle(): void {
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0]!;
      let index = -1;
      for (let i = this.#cursor; i < this.frames.length; i += 1) {
        if (waiter.predicate(this.frames[i]!)) {
          index = i;
          break;
        }
        if (waiter.strict) break;
      }
      if (index === -1) {
        if (waiter.strict && this.#cursor < this.frames.length) {
          this.#waiters.shift();
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`expected another frame, got ${JSON.stringify(this.frames[this.#cursor])}`));
          this.#cursor += 1;
          continue;
        }
        return;
      }
      this.#waiters.shift();
      clearTimeout(waiter.timer);
      this.#cursor = index + 1;
      waiter.resolve(this.frames[index]!);
    }
  }
}
