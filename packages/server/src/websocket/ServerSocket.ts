import type { Socket } from 'node:net';
import { closePayload, CloseCode, EMPTY_PAYLOAD, encodeFrame, isSendableCloseCode, Opcode } from './frame.js';
import { FrameReader, WebSocketProtocolError, type FrameSink } from './FrameReader.js';

/** A {@link ServerSocket}'s state, as the WebSocket API names them. */
export const enum ReadyState {
  open = 1,
  closing = 2,
  closed = 3,
}

/**
 * What happens on every socket, handled by one object for all of them (no closures per
 * socket): each call names the socket it is about.
 */
export interface SocketEvents {
  message(socket: ServerSocket, data: Buffer, binary: boolean): void;
  pong(socket: ServerSocket): void;
  /** The client broke the protocol or a limit; the socket is being closed with `error.closeCode`. */
  error(socket: ServerSocket, error: WebSocketProtocolError): void;
  /**
   * The connection is gone. `code` is the close code the client sent, or 1006 when the
   * connection ended without a close frame from it.
   */
  close(socket: ServerSocket, code: number): void;
}

/** Options of every {@link ServerSocket} of a server. */
export interface ServerSocketOptions {
  /** Largest inbound message in bytes (fragments counted together); larger ones close with 1009. */
  maxPayload: number;
  /** Most bytes queued for the client; past this it is not reading and the socket is dropped. */
  maxBufferedBytes: number;
  /** How long a close handshake may wait for the client's close frame before the socket is destroyed. */
  closeTimeoutMs: number;
  events: SocketEvents;
}

/** The ServerSocket that owns each TCP socket, for the listeners shared by every socket. */
const owners = new WeakMap<Socket, ServerSocket>();

function onData(this: Socket, chunk: Buffer): void {
  owners.get(this)?.receive(chunk);
}
function onEnd(this: Socket): void {
  // The client half-closed without a close handshake: finish our side too.
  this.end();
}
function onSocketError(this: Socket): void {
  // 'close' follows; the connection is reported as ended abnormally there.
  this.destroy();
}
function onSocketClose(this: Socket): void {
  owners.get(this)?.closed();
}

/**
 * The server's end of one WebSocket connection (RFC 6455) over an upgraded TCP socket:
 * parses the client's frames, answers pings and the close handshake, and sends text,
 * ping and close frames. Text and binary messages, pongs, protocol errors and the end of the
 * connection go to the shared {@link SocketEvents}.
 *
 * Each outgoing frame is one buffer and one write; no extensions (per-message deflate) are
 * offered.
 */
export class ServerSocket implements FrameSink {
  #state: ReadyState = ReadyState.open;
  /** The code of the client's close frame, once one came. */
  #receivedCode: number = CloseCode.abnormal;
  #closeTimer: NodeJS.Timeout | undefined;
  readonly #reader: FrameReader;

  constructor(
    readonly socket: Socket,
    readonly options: ServerSocketOptions,
  ) {
    this.#reader = new FrameReader(this, options.maxPayload);
    owners.set(socket, this);
    socket.setNoDelay(true);
    socket.setTimeout(0);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  }

  get readyState(): ReadyState {
    return this.#state;
  }

  /**
   * Sends `text` (UTF-8 bytes) as one text frame; returns whether it went out (it is dropped
   * unless the socket is open). A client
   * with more than `maxBufferedBytes` waiting for it is failed with 1008 and dropped at once:
   * a close frame could not reach it through the full buffer.
   */
  send(text: Uint8Array): boolean {
    if (this.#state !== ReadyState.open) return false;
    this.socket.write(encodeFrame(Opcode.text, text));
    if (this.socket.writableLength > this.options.maxBufferedBytes) {
      this.#state = ReadyState.closing;
      this.options.events.error(this, new WebSocketProtocolError(`over ${this.options.maxBufferedBytes} bytes queued: the client is not reading`, CloseCode.policyViolation));
      this.socket.destroy();
    }
    return true;
  }

  /** Sends a ping; the answer arrives as {@link SocketEvents.pong}. */
  ping(): void {
    if (this.#state === ReadyState.open) this.socket.write(encodeFrame(Opcode.ping, EMPTY_PAYLOAD));
  }

  /**
   * Starts the close handshake with `code` and `reason` (short ASCII text). The socket is
   * destroyed if the client does not answer within `closeTimeoutMs`.
   */
  close(code: number, reason = ''): void {
    if (this.#state !== ReadyState.open) return;
    if (!isSendableCloseCode(code)) throw new RangeError(`close code ${code} may not be sent`);
    this.#state = ReadyState.closing;
    this.socket.write(encodeFrame(Opcode.close, closePayload(code, reason)));
    this.#destroyLater();
  }

  /** Drops the connection at once, without a close handshake. */
  terminate(): void {
    this.socket.destroy();
  }

  /** Bytes from the TCP socket (called by the shared 'data' listener). */
  receive(chunk: Buffer): void {
    try {
      this.#reader.push(chunk);
    } catch (error) {
      if (!(error instanceof WebSocketProtocolError)) throw error;
      this.#fail(error);
    }
  }

  /** The TCP socket closed (called by the shared 'close' listener). */
  closed(): void {
    if (this.#state === ReadyState.closed) return;
    this.#state = ReadyState.closed;
    clearTimeout(this.#closeTimer);
    owners.delete(this.socket);
    this.options.events.close(this, this.#receivedCode);
  }

  /** A whole message from the client (called by the reader). */
  onMessage(data: Buffer, binary: boolean): void {
    if (this.#state === ReadyState.open) this.options.events.message(this, data, binary);
  }

  /** A ping from the client (called by the reader): answered with its payload. */
  onPing(payload: Buffer): void {
    if (this.#state === ReadyState.open) this.socket.write(encodeFrame(Opcode.pong, payload));
  }

  /** A pong from the client (called by the reader). */
  onPong(): void {
    this.options.events.pong(this);
  }

  /** The client's close frame (called by the reader): answered, unless this side started, then the end. */
  onClose(code: number): void {
    this.#receivedCode = code;
    if (this.#state === ReadyState.open) {
      this.#state = ReadyState.closing;
      this.socket.write(encodeFrame(Opcode.close, code === CloseCode.noStatus ? EMPTY_PAYLOAD : closePayload(code, '')));
    }
    // The server closes the TCP connection first (RFC 6455 §7.1.1).
    this.socket.end();
    this.#destroyLater();
  }

  /** Fails the connection (RFC 6455 §7.1.7): a close frame with the error's code, then the end. */
  #fail(error: WebSocketProtocolError): void {
    if (this.#state === ReadyState.open) {
      this.#state = ReadyState.closing;
      this.socket.write(encodeFrame(Opcode.close, closePayload(error.closeCode, '')));
    }
    this.options.events.error(this, error);
    this.socket.end();
    this.#destroyLater();
  }

  /** A closing socket whose client never finishes the handshake is destroyed after `closeTimeoutMs`. */
  #destroyLater(): void {
    if (this.#closeTimer !== undefined) return;
    this.#closeTimer = setTimeout(() => this.socket.destroy(), this.options.closeTimeoutMs);
    this.#closeTimer.unref();
  }
}
