import type { Socket } from 'node:net';
import { closePayload, CloseCode, EMPTY_PAYLOAD, encodeFrame, isSendableCloseCode, Opcode } from './frame.js';
import { FrameReader, WebSocketProtocolError, type FrameReaderLimits, type FrameSink } from './FrameReader.js';
import type { SendWatch } from './SendWatch.js';

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
  /** A ping came; returns whether to answer it (`false`: the rate limit dropped it). */
  ping(socket: ServerSocket): boolean;
  pong(socket: ServerSocket): void;
  /**
   * The socket is being closed for `error.closeCode`: the client broke the protocol or a
   * limit, or (1011, the exception in `error.cause`) handling what it sent threw.
   */
  error(socket: ServerSocket, error: WebSocketProtocolError): void;
  /**
   * The connection is gone. `code` is the close code the client sent, or 1006 when the
   * connection ended without a close frame from it.
   */
  close(socket: ServerSocket, code: number): void;
}

/** Options of every {@link ServerSocket} of a server. */
export interface ServerSocketOptions extends FrameReaderLimits {
  /** Most bytes queued for the client; past this it is dropped at once (its memory bound). */
  maxBufferedBytes: number;
  /** Most pongs queued unsent for a client (it sends pings but does not read); past this it is dropped. */
  maxQueuedControlFrames: number;
  /** How long a close handshake may wait for the client's close frame before the socket is destroyed. */
  closeTimeoutMs: number;
  /** Finds clients that stopped reading what is queued for them. */
  sendWatch: SendWatch;
  events: SocketEvents;
}

/** How long a failed connection (protocol error, limit, rate limit) stays before it is destroyed, at most. */
const FAILED_LINGER_MS = 1_000;

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
 * What one client can make it hold is bounded: its incoming messages by the reader's limits,
 * what waits to be sent to it by `maxBufferedBytes`, unsent pongs by
 * `maxQueuedControlFrames`, and a queue that stops moving by the {@link SendWatch}. An
 * exception while handling its bytes closes this connection with 1011, never the process.
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
  /** The payload of the latest ping not yet answered; one pong answers every ping of a chunk (RFC 6455 §5.5.3). */
  #owedPong: Buffer | undefined;
  /** Pongs written and not yet handed to the kernel. */
  #unsentPongs = 0;
  /** Counts a pong out of the queue; made on the first ping, as few clients send any. */
  #pongSent: (() => void) | undefined;

  constructor(
    readonly socket: Socket,
    readonly options: ServerSocketOptions,
  ) {
    this.#reader = new FrameReader(this, options);
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
   * unless the socket is open).
   */
  send(text: Uint8Array): boolean {
    if (this.#state !== ReadyState.open) return false;
    this.#write(encodeFrame(Opcode.text, text));
    return true;
  }

  /** Sends a ping; the answer arrives as {@link SocketEvents.pong}. */
  ping(): void {
    if (this.#state === ReadyState.open) this.#write(encodeFrame(Opcode.ping, EMPTY_PAYLOAD));
  }

  /**
   * Starts the close handshake with `code` and `reason` (short ASCII text). The socket is
   * destroyed if the client does not answer within `closeTimeoutMs`.
   */
  close(code: number, reason = ''): void {
    if (this.#state !== ReadyState.open) return;
    if (!isSendableCloseCode(code)) throw new RangeError(`close code ${code} may not be sent`);
    this.#state = ReadyState.closing;
    this.#write(encodeFrame(Opcode.close, closePayload(code, reason)));
    this.#destroyLater();
  }

  /**
   * Fails the connection for a violation the server found above the frames (e.g. the rate
   * limit): a close frame with `code`, then the end; nothing more the client sends is read.
   */
  fail(code: number, reason: string): void {
    if (this.#state !== ReadyState.open) return;
    this.#reader.stop();
    this.#fail(new WebSocketProtocolError(reason, code));
  }

  /** Drops the connection at once, without a close handshake. */
  terminate(): void {
    this.socket.destroy();
  }

  /** Nothing queued for the client has left for a while: it is not reading, and is dropped. */
  stalled(stallMs: number): void {
    this.#drop(`nothing queued for the client left in ${stallMs} ms: it is not reading`);
  }

  /** Bytes from the TCP socket (called by the shared 'data' listener). */
  receive(chunk: Buffer): void {
    try {
      this.#reader.push(chunk);
    } catch (error) {
      this.#fail(error instanceof WebSocketProtocolError ? error : internalError(error));
      return;
    }
    if (this.#owedPong !== undefined) this.#pong();
  }

  /** The TCP socket closed (called by the shared 'close' listener). */
  closed(): void {
    if (this.#state === ReadyState.closed) return;
    this.#state = ReadyState.closed;
    clearTimeout(this.#closeTimer);
    owners.delete(this.socket);
    this.options.sendWatch.forget(this);
    try {
      this.options.events.close(this, this.#receivedCode);
    } catch (error) {
      this.options.events.error(this, internalError(error));
    }
  }

  /** A whole message from the client (called by the reader). */
  onMessage(data: Buffer, binary: boolean): void {
    if (this.#state === ReadyState.open) this.options.events.message(this, data, binary);
  }

  /** A ping from the client (called by the reader): answered once the chunk it came in is read. */
  onPing(payload: Buffer): void {
    if (this.#state === ReadyState.open && this.options.events.ping(this)) this.#owedPong = payload;
  }

  /** A pong from the client (called by the reader). */
  onPong(): void {
    this.options.events.pong(this);
  }

  /** The client's close frame (called by the reader): answered, unless this side started, then the end. */
  onClose(code: number): void {
    this.#receivedCode = code;
    this.#owedPong = undefined;
    if (this.#state === ReadyState.open) {
      this.#state = ReadyState.closing;
      this.socket.write(encodeFrame(Opcode.close, code === CloseCode.noStatus ? EMPTY_PAYLOAD : closePayload(code, '')));
    }
    // The server closes the TCP connection first (RFC 6455 §7.1.1).
    this.socket.end();
    this.#destroyLater();
  }

  /** Answers the latest ping, unless the client has left too many pongs unread. */
  #pong(): void {
    const payload = this.#owedPong!;
    this.#owedPong = undefined;
    if (this.#state !== ReadyState.open) return;
    if (this.#unsentPongs >= this.options.maxQueuedControlFrames) {
      this.#drop(`over ${this.options.maxQueuedControlFrames} pongs unsent: the client pings but is not reading`);
      return;
    }
    this.#unsentPongs += 1;
    this.#write(encodeFrame(Opcode.pong, payload), (this.#pongSent ??= () => void (this.#unsentPongs -= 1)));
  }

  /**
   * Writes one frame. Past `maxBufferedBytes` queued the client is dropped at once (a close
   * frame could not reach it through the full queue); any queue at all is watched for progress.
   */
  #write(frame: Buffer, sent?: () => void): void {
    const { socket } = this;
    socket.write(frame, sent);
    const queued = socket.writableLength;
    if (queued === 0) return;
    if (queued > this.options.maxBufferedBytes) this.#drop(`over ${this.options.maxBufferedBytes} bytes queued for the client`);
    else this.options.sendWatch.watch(this);
  }

  /** Drops a client that is not reading, as a policy violation (1008), without a close frame. */
  #drop(reason: string): void {
    if (this.#state === ReadyState.closed) return;
    this.#state = ReadyState.closing;
    this.options.events.error(this, new WebSocketProtocolError(reason, CloseCode.policyViolation));
    this.socket.destroy();
  }

  /** Fails the connection (RFC 6455 §7.1.7): a close frame with the error's code, then the end. */
  #fail(error: WebSocketProtocolError): void {
    this.#owedPong = undefined;
    if (this.#state === ReadyState.open) {
      this.#state = ReadyState.closing;
      this.socket.write(encodeFrame(Opcode.close, closePayload(error.closeCode, '')));
    }
    this.options.events.error(this, error);
    this.socket.end();
    // Nothing more is read from a failed client: a flood after the verdict costs no CPU, and it
    // gets a short while for the close frame and the end to reach it, not a whole handshake.
    this.socket.pause();
    this.#destroyLater(Math.min(this.options.closeTimeoutMs, FAILED_LINGER_MS));
  }

  /** A closing socket whose client never finishes the handshake is destroyed after `closeTimeoutMs`. */
  #destroyLater(afterMs = this.options.closeTimeoutMs): void {
    if (this.#closeTimer !== undefined) return;
    this.#closeTimer = setTimeout(() => this.socket.destroy(), afterMs);
    this.#closeTimer.unref();
  }
}

/** The error that closes a connection whose handling threw `cause`. */
function internalError(cause: unknown): WebSocketProtocolError {
  return new WebSocketProtocolError('the server failed while handling what the client sent', CloseCode.internalError, { cause });
}
