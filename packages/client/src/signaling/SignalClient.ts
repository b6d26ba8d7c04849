import { parseServerFrame, type ClientFrame, type ServerFrame } from '@ponte/protocol';
import { PonteError } from '../errors/PonteError.js';
import { TypedEmitter } from '../events/TypedEmitter.js';
import { browserPlatform } from '../platform/browserPlatform.js';
import type { Platform, WebSocketConstructor } from '../platform/Platform.js';
import { backoffDelay, RECONNECT_DEFAULTS, type ReconnectOptions } from './backoff.js';
import { SIGNALING_TIMEOUT_DEFAULTS } from './timeouts.js';

/** Events of a {@link SignalClient}. */
export interface SignalClientEvents {
  /** A validated frame from the server. */
  frame: ServerFrame;
  /** The connection was lost; another attempt follows after `delayMs`. */
  reconnecting: { attempt: number; delayMs: number; error: PonteError };
  /** A new socket is open after a loss (the protocol state must be restored on it). */
  reconnected: void;
  /** The client is closed for good: by `close()` (no error), or it could not reconnect. */
  close: { code: number; reason: string; error: PonteError | null };
  /** The server sent something that is not a valid frame. The connection stays open. */
  error: PonteError;
}

/** Options of a {@link SignalClient}. */
export interface SignalClientOptions {
  /** Where the WebSocket constructor comes from. Default {@link browserPlatform}. */
  platform?: Pick<Platform, 'WebSocket'>;
  /** A WebSocket constructor that overrides the platform's. */
  WebSocket?: WebSocketConstructor;
  /** Reconnection after a lost connection; `false` to give up at once. */
  reconnect?: Partial<ReconnectOptions> | false;
  /**
   * How long a socket may take to open, in ms, before the attempt fails with
   * `CONNECTION_FAILED` (reason `'timeout'`): a first connection rejects, a reconnect attempt
   * is retried. Default 10000.
   */
  connectTimeoutMs?: number;
}

/**
 * Close codes after which reconnecting is pointless: 1008 (the server refused us for
 * abuse) and 4000 (another connection resumed as us). Every other code is retried, among
 * them 1001 (the server shut down) and 1012 (the server is draining before a restart: the
 * client reconnects, reaching another process, and resumes).
 */
const FINAL_CLOSE_CODES = new Set([1008, 4000]);

/**
 * Knows only the WebSocket and the protocol: opens the connection, validates every frame
 * the server sends before dispatching it, serializes frames the client sends, and
 * reconnects with capped exponential backoff and jitter when the connection is lost.
 */
export class SignalClient extends TypedEmitter<SignalClientEvents> {
  readonly #platform: Pick<Platform, 'WebSocket'>;
  readonly #WebSocket: WebSocketConstructor | undefined;
  readonly #reconnect: ReconnectOptions | null;
  readonly #connectTimeoutMs: number;
  #socket: WebSocket | null = null;
  #closed = false;
  #attempt = 0;
  /** The attempt count when the current socket opened (see {@link retryLater}). */
  #attemptWhenOpened = 0;
  #lostAt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly url: string,
    options: SignalClientOptions = {},
  ) {
    super();
    this.#platform = options.platform ?? browserPlatform();
    this.#WebSocket = options.WebSocket;
    this.#reconnect = options.reconnect === false ? null : { ...RECONNECT_DEFAULTS, ...options.reconnect };
    this.#connectTimeoutMs = options.connectTimeoutMs ?? SIGNALING_TIMEOUT_DEFAULTS.connectTimeoutMs;
  }

  /** Whether the socket is open. */
  get connected(): boolean {
    return this.#socket?.readyState === 1;
  }

  /** Opens the socket; rejects with `CONNECTION_FAILED` when it cannot, or not within `connectTimeoutMs`. */
  connect(): Promise<void> {
    if (this.#socket || this.#closed) return Promise.reject(PonteError.invalidState('The signaling client was already used.'));
    return this.#dial();
  }

  /** Sends one frame; returns false when the socket is not open. */
  send(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * The server took the connection but cannot serve it now (it answered `UNAVAILABLE`: it
   * lost its room store, or is draining): drops the socket and reconnects with backoff, as
   * after a lost connection, the delays going on growing from where they were before it opened.
   */
  retryLater(error: PonteError): void {
    if (this.#closed || !this.#reconnect) return;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000, 'retrying later');
    }
    this.#attempt = this.#attemptWhenOpened;
    if (this.#lostAt === 0) this.#lostAt = Date.now();
    this.#retry(error);
  }

  /** Closes for good: no reconnection, and the `close` event carries no error. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    if (socket && socket.readyState <= 1) socket.close(1000, 'client closed');
    else this.emit('close', { code: 1000, reason: 'client closed', error: null });
  }

  /** Opens one socket; resolves once open, rejects if it closes first or does not open in time. */
  #dial(): Promise<void> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        const Socket = this.#WebSocket ?? this.#platform.WebSocket;
        socket = new Socket(this.url);
      } catch (cause) {
        reject(PonteError.connectionFailed(this.url, cause));
        return;
      }
      this.#socket = socket;
      let opened = false;
      // A socket that neither opens nor fails (an address that drops packets, a proxy that
      // never answers) must not hold a join or a reconnect forever.
      const timer = setTimeout(() => {
        socket.onopen = null;
        socket.onmessage = null;
        socket.onclose = null;
        if (this.#socket === socket) this.#socket = null;
        socket.close();
        reject(PonteError.connectTimeout(this.url, this.#connectTimeoutMs));
      }, this.#connectTimeoutMs);
      socket.onopen = () => {
        clearTimeout(timer);
        opened = true;
        this.#attemptWhenOpened = this.#attempt;
        this.#attempt = 0;
        resolve();
      };
      socket.onmessage = (event: MessageEvent) => this.#receive(event.data);
      // Failures are handled on `close`, which always follows; Node's ws throws on an error
      // event nobody listens to.
      socket.onerror = () => undefined;
      socket.onclose = (event: CloseEvent) => {
        clearTimeout(timer);
        if (this.#socket === socket) this.#socket = null;
        if (!opened) {
          reject(PonteError.connectionFailed(this.url));
          return;
        }
        this.#lost(event.code, event.reason);
      };
    });
  }

  #lost(code: number, reason: string): void {
    if (this.#closed) {
      this.emit('close', { code, reason, error: null });
      return;
    }
    const error = PonteError.connectionLost(code, reason);
    if (!this.#reconnect || FINAL_CLOSE_CODES.has(code)) {
      this.#closed = true;
      this.emit('close', { code, reason, error });
      return;
    }
    this.#lostAt = Date.now();
    this.#retry(error);
  }

  #retry(error: PonteError): void {
    const options = this.#reconnect as ReconnectOptions;
    if (Date.now() - this.#lostAt > options.giveUpAfterMs) {
      this.#closed = true;
      this.emit('close', { code: 1006, reason: 'gave up reconnecting', error });
      return;
    }
    const delayMs = backoffDelay(this.#attempt, options);
    this.emit('reconnecting', { attempt: this.#attempt + 1, delayMs, error });
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => {
      if (this.#closed) return;
      this.#dial().then(
        () => this.emit('reconnected', undefined),
        () => this.#retry(error),
      );
    }, delayMs);
  }

  #receive(data: unknown): void {
    // Closed by us: what is still in flight is for no one (e.g. a join answered too late).
    if (this.#closed) return;
    if (typeof data !== 'string') {
      this.emit('error', PonteError.protocol('binary frames are not part of the protocol'));
      return;
    }
    const result = parseServerFrame(data);
    if (result.ok) this.emit('frame', result.frame);
    else this.emit('error', PonteError.protocol(result.message));
  }
}
