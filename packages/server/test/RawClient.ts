import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { clientFrame, type ClientFrameOptions } from './clientFrame.js';

/** How long a raw client waits for an expected frame or close before failing. */
export const RAW_WAIT_MS = 5_000;

/** One frame the server sent, as read off the wire. */
export interface ReceivedFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** How a raw connection ended. */
export interface RawClose {
  /** The code of the server's close frame, if one came (1005 when it had no code). */
  code: number | undefined;
  reason: string;
  /** Milliseconds from the client's creation to the TCP close. */
  afterMs: number;
}

/** Options of {@link RawClient.connect}. */
export interface RawConnectOptions {
  path?: string;
  /** Extra request headers (e.g. `Origin`, `Authorization`). */
  headers?: Record<string, string>;
}

/**
 * A WebSocket client written on a bare TCP socket, for tests that must send what a real
 * client library never would: any bytes, any frame, in any chunks. It reads the server's
 * frames (unmasked, RFC 6455 §5.2) and records how the connection ended.
 */
export class RawClient {
  /**
   * Frames read and not yet taken by {@link nextFrame}. The server's own liveness pings are
   * not among them (they come whenever its timer ticks, so a test cannot expect them in
   * order); they are counted in {@link serverPings}.
   */
  readonly frames: ReceivedFrame[] = [];
  /** Pings the server sent (left unanswered: a test that needs a pong sends it). */
  serverPings = 0;
  /** Resolves once the TCP connection is closed. */
  readonly closed: Promise<RawClose>;
  readonly #started = performance.now();
  #buffer: Buffer = Buffer.alloc(0);
  #closeCode: number | undefined;
  #closeReason = '';
  #isClosed = false;
  #wake: (() => void) | undefined;

  constructor(readonly socket: net.Socket) {
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#isClosed = true;
        this.#wake?.();
        resolve({ code: this.#closeCode, reason: this.#closeReason, afterMs: performance.now() - this.#started });
      });
    });
  }

  /** Opens a TCP connection to the server of `baseUrl` (`http://host:port`) without a handshake. */
  static async open(baseUrl: string): Promise<net.Socket> {
    const { hostname, port } = new URL(baseUrl);
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return socket;
  }

  /** The HTTP upgrade request for `path`, as bytes a test may change before sending. */
  static upgradeRequest(host: string, options: RawConnectOptions = {}): string {
    const headers = {
      Host: host,
      Upgrade: 'websocket',
      Connection: 'Upgrade',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Version': '13',
      ...options.headers,
    };
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    return `GET ${options.path ?? '/ws'} HTTP/1.1\r\n${lines.join('')}\r\n`;
  }

  /** Connects and completes the WebSocket handshake; rejects with the status line if refused. */
  static async connect(baseUrl: string, options: RawConnectOptions = {}): Promise<RawClient> {
    const socket = await RawClient.open(baseUrl);
    socket.write(RawClient.upgradeRequest(new URL(baseUrl).host, options));
    const rest = await readResponseHead(socket);
    const client = new RawClient(socket);
    socket.on('data', (chunk: Buffer) => client.#receive(chunk));
    if (rest.length > 0) client.#receive(rest);
    return client;
  }

  /** Sends raw bytes. */
  send(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /**
   * Sends `parts` one write each, every write handed to the kernel before the next starts, so
   * that the server may read them in pieces (TCP may still join them). Stops early, without
   * an error, once the connection can no longer be written to (e.g. the server closed it).
   */
  async sendParts(parts: readonly Buffer[]): Promise<void> {
    for (const part of parts) {
      if (this.#isClosed || this.socket.writableEnded) return;
      const written = await new Promise<boolean>((resolve) => this.socket.write(part, (error) => resolve(error == null)));
      if (!written) return;
    }
  }

  /** Sends one masked frame (see {@link clientFrame}). */
  sendFrame(opcode: number, payload: Buffer | string, options?: ClientFrameOptions): void {
    this.socket.write(clientFrame(opcode, payload, options));
  }

  /** The next frame from the server; rejects if the connection closes or nothing comes in time. */
  async nextFrame(timeoutMs = RAW_WAIT_MS): Promise<ReceivedFrame> {
    const deadline = performance.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.#isClosed) throw new Error('the connection closed while a frame was awaited');
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.frames.shift()!;
  }

  /** Resolves with how the connection ended; rejects if it is still open after `timeoutMs`. */
  async waitClosed(timeoutMs = RAW_WAIT_MS): Promise<RawClose> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the TCP connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const frame = parseServerFrame(this.#buffer);
      if (frame === undefined) break;
      this.#buffer = this.#buffer.subarray(frame.size);
      if (frame.opcode === 0x9) {
        this.serverPings += 1;
        continue;
      }
      if (frame.opcode === 0x8) {
        this.#closeCode = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
        this.#closeReason = frame.payload.subarray(2).toString();
      }
      this.frames.push({ fin: frame.fin, opcode: frame.opcode, payload: frame.payload });
    }
    this.#wake?.();
  }
}

/** Parses one unmasked frame at the start of `bytes`, or returns undefined if it is incomplete. */
function parseServerFrame(bytes: Buffer): (ReceivedFrame & { size: number }) | undefined {
  if (bytes.length < 2) return undefined;
  const short = bytes[1]! & 0x7f;
  const headerSize = short === 126 ? 4 : short === 127 ? 10 : 2;
  if (bytes.length < headerSize) return undefined;
  const length = short === 126 ? bytes.readUInt16BE(2) : short === 127 ? Number(bytes.readBigUInt64BE(2)) : short;
  if (bytes.length < headerSize + length) return undefined;
  return {
    fin: (bytes[0]! & 0x80) !== 0,
    opcode: bytes[0]! & 0x0f,
    payload: Buffer.from(bytes.subarray(headerSize, headerSize + length)),
    size: headerSize + length,
  };
}

/**
 * Reads an HTTP response head off `socket`; resolves with the bytes after it when the status
 * is 101, rejects with the status line otherwise.
 */
export async function readResponseHead(socket: net.Socket): Promise<Buffer> {
  let received: Buffer = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      const statusLine = received.subarray(0, received.indexOf('\r\n')).toString();
      if (/^HTTP\/1\.1 101 /.test(statusLine)) resolve(received.subarray(end + 4));
      else reject(new Error(statusLine));
    };
    const onClose = (): void => reject(new Error(`closed before a response (${received.toString().slice(0, 80)})`));
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}
