import type net from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { clientFrame } from '../clientFrame.js';
import { RawClient, readResponseHead } from '../RawClient.js';

const PING = 0x9;
const PONG = 0xa;
const CLOSE = 0x8;
const TEXT = 0x1;

/**
 * Reads the server's frames off the wire without keeping them: only close, ping and (when
 * asked) text frames are looked at; every other payload is skipped as it streams by, so an
 * attacker draining gigabytes of queued pongs holds nothing.
 */
class ServerFrameScanner {
  #pending: Buffer = Buffer.alloc(0);
  /** Payload bytes of a skipped frame still to come. */
  #skip = 0;

  constructor(private readonly onFrame: (opcode: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    if (this.#skip > 0) {
      const skipped = Math.min(this.#skip, chunk.length);
      this.#skip -= skipped;
      chunk = chunk.subarray(skipped);
      if (chunk.length === 0) return;
    }
    const bytes = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    let at = 0;
    while (bytes.length - at >= 2) {
      const opcode = bytes[at]! & 0x0f;
      const short = bytes[at + 1]! & 0x7f;
      const headerSize = short === 126 ? 4 : short === 127 ? 10 : 2;
      if (bytes.length - at < headerSize) break;
      const length = short === 126 ? bytes.readUInt16BE(at + 2) : short === 127 ? Number(bytes.readBigUInt64BE(at + 2)) : short;
      const available = bytes.length - at - headerSize;
      if (opcode !== CLOSE && opcode !== PING && opcode !== TEXT) {
        if (available < length) {
          this.#skip = length - available;
          at = bytes.length;
          break;
        }
        at += headerSize + length;
        continue;
      }
      if (available < length) break;
      this.onFrame(opcode, bytes.subarray(at + headerSize, at + headerSize + length));
      at += headerSize + length;
    }
    this.#pending = Buffer.from(bytes.subarray(at));
  }
}

/**
 * One attacking connection to a server on 127.0.0.1, with a clock started at the TCP
 * connect. It records the first sign that the server closed it (a close frame, the end of
 * the stream, a reset, an HTTP refusal), the close code, and when the connection was gone.
 * While it reads, it answers the server's pings, so that liveness timeouts do not end an
 * attack that a specific limit should end.
 */
export class AttackSocket {
  /** When the TCP connection was made (performance.now()). */
  readonly startedAt: number;
  /** Resolves once the TCP connection is gone, whoever ended it. */
  readonly ended: Promise<void>;
  /** The code of the server's close frame (1005 when it had none). */
  closeCode: number | undefined;
  /** The status line, when the server answered with HTTP (101 or a refusal). */
  status: string | undefined;
  /** Bytes written to the server (handshake included). */
  bytesSent = 0;
  /** Frames written to the server (a header whose payload never ends counts as one). */
  framesSent = 0;
  /** Called with each text message the server sends. */
  onText: ((text: string) => void) | undefined;
  #closedAt: number | undefined;
  #endedAt: number | undefined;
  #destroyedByUs = false;
  readonly #scanner = new ServerFrameScanner((opcode, payload) => this.#frame(opcode, payload));

  private constructor(readonly socket: net.Socket) {
    this.startedAt = performance.now();
    socket.on('error', () => this.#sawClose());
    socket.on('end', () => this.#sawClose());
    this.ended = new Promise((resolve) => {
      socket.once('close', () => {
        if (!this.#destroyedByUs) this.#sawClose();
        this.#endedAt = performance.now();
        resolve();
      });
    });
  }

  /** Opens a TCP connection to `baseUrl`, which must be a loopback `http://127.0.0.1:port`. */
  static async open(baseUrl: string): Promise<AttackSocket> {
    if (new URL(baseUrl).hostname !== '127.0.0.1') throw new Error(`attacks target 127.0.0.1 only, not ${baseUrl}`);
    return new AttackSocket(await RawClient.open(baseUrl));
  }

  /** Opens a connection and completes the WebSocket handshake at `path`; see {@link upgrade}. */
  static async connect(baseUrl: string, path: string): Promise<AttackSocket> {
    const attack = await AttackSocket.open(baseUrl);
    await attack.upgrade(path);
    return attack;
  }

  /**
   * Sends the upgrade request for `path` and reads the answer; returns whether it was 101.
   * On a refusal the status is kept and the connection counts as closed by the server.
   */
  async upgrade(path: string): Promise<boolean> {
    this.write(RawClient.upgradeRequest(`127.0.0.1:${this.socket.remotePort}`, { path }));
    try {
      const rest = await readResponseHead(this.socket);
      this.status = 'HTTP/1.1 101 Switching Protocols';
      this.socket.on('data', (chunk: Buffer) => this.#scanner.push(chunk));
      if (rest.length > 0) this.#scanner.push(rest);
      return true;
    } catch (error) {
      const message = (error as Error).message;
      if (message.startsWith('HTTP/')) this.status = message;
      this.#sawClose();
      return false;
    }
  }

  /**
   * Reads whatever the server answers to a request that was not (or not yet) complete: the
   * status line of an HTTP answer is kept, the rest is dropped; the end of the stream is seen.
   */
  readHttpAnswer(): void {
    let head = '';
    this.socket.on('data', (chunk: Buffer) => {
      if (this.status !== undefined) return;
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n');
      if (end >= 0) this.status = head.slice(0, end);
    });
  }

  /** When (performance.now()) the first sign of the server closing was seen, if it was. */
  get closedAt(): number | undefined {
    return this.#closedAt;
  }

  /** Milliseconds from the connect to the first sign of the server closing, if it did. */
  get closedAfterMs(): number | undefined {
    return this.#closedAt === undefined ? undefined : this.#closedAt - this.startedAt;
  }

  /** Milliseconds from the connect to the end of the TCP connection, if the server ended it. */
  get endedAfterMs(): number | undefined {
    return this.#endedAt === undefined || this.#destroyedByUs ? undefined : this.#endedAt - this.startedAt;
  }

  /** Whether the server has shown that it closed this connection. */
  get isClosed(): boolean {
    return this.#closedAt !== undefined;
  }

  /** Whether the TCP connection is gone. */
  get isEnded(): boolean {
    return this.#endedAt !== undefined || this.socket.destroyed;
  }

  /** Writes bytes that hold `frames` frames; returns false when the socket's buffer is full. */
  write(bytes: Buffer | string, frames = 0): boolean {
    if (this.socket.writableEnded || this.socket.destroyed) return false;
    this.bytesSent += bytes.length;
    this.framesSent += frames;
    return this.socket.write(bytes);
  }

  /**
   * Writes `batch` (holding `framesPerBatch` frames) again and again, as fast as the socket
   * takes it, until `stop()` says so, the connection is gone or `deadline` (performance.now()) passes.
   */
  async flood(batch: Buffer, framesPerBatch: number, deadline: number, stop: () => boolean = () => false): Promise<void> {
    while (!this.isEnded && !this.socket.writableEnded && !stop() && performance.now() < deadline) {
      if (this.write(batch, framesPerBatch)) await nextTurn();
      else await this.#drained(deadline);
    }
  }

  /** Resolves once the connection is gone or `deadline` passes. */
  async hold(deadline: number, signal?: AbortSignal): Promise<void> {
    const left = deadline - performance.now();
    if (left <= 0 || this.isEnded || signal?.aborted) return;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    await Promise.race([
      this.ended,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, left);
        onAbort = resolve;
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }

  /** Ends the connection from this side (the attack's bound was reached). */
  destroy(): void {
    if (this.isEnded) return;
    this.#destroyedByUs = true;
    this.socket.destroy();
  }

  #sawClose(): void {
    this.#closedAt ??= performance.now();
  }

  #frame(opcode: number, payload: Buffer): void {
    if (opcode === CLOSE) {
      this.closeCode ??= payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.#sawClose();
    } else if (opcode === PING) {
      if (!this.isClosed) this.write(clientFrame(PONG, payload));
    } else if (opcode === TEXT) {
      this.onText?.(payload.toString());
    }
  }

  async #drained(deadline: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onDrain: (() => void) | undefined;
    await Promise.race([
      this.ended,
      new Promise<void>((resolve) => {
        onDrain = resolve;
        this.socket.once('drain', onDrain);
        timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
      }),
    ]);
    clearTimeout(timer);
    if (onDrain !== undefined) this.socket.off('drain', onDrain);
  }
}
