import { parseServerFrame, type ClientFrame, type ServerFrame } from '@ponte/protocol';
import { PonteError } from './PonteError.js';
import { TypedEmitter } from './TypedEmitter.js';

/** Events of a {@link SignalClient}. */
export interface SignalClientEvents {
  /** A validated frame from the server. */
  frame: ServerFrame;
  /** The socket closed after it had opened; `error` says why when it was not asked for. */
  close: { code: number; reason: string; error: PonteError | null };
  /** The server sent something that is not a valid frame. The connection stays open. */
  error: PonteError;
}

/** The WebSocket constructor to use; the browser's by default (inject one for Node). */
export type WebSocketConstructor = new (url: string) => WebSocket;

/**
 * Knows only the WebSocket and the protocol: opens the connection, validates every frame
 * the server sends before dispatching it, and serializes frames the client sends.
 */
export class SignalClient extends TypedEmitter<SignalClientEvents> {
  #socket: WebSocket | null = null;
  #closing = false;

  constructor(
    readonly url: string,
    private readonly WebSocketImpl: WebSocketConstructor = globalThis.WebSocket,
  ) {
    super();
  }

  /** Whether the socket is open. */
  get connected(): boolean {
    return this.#socket?.readyState === 1;
  }

  /** Opens the socket; rejects with `CONNECTION_FAILED` when it cannot. */
  connect(): Promise<void> {
    if (this.#socket) return Promise.reject(PonteError.invalidState('The signaling client is already connected.'));
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new this.WebSocketImpl(this.url);
      } catch (cause) {
        reject(PonteError.connectionFailed(this.url, cause));
        return;
      }
      this.#socket = socket;
      let opened = false;
      socket.onopen = () => {
        opened = true;
        resolve();
      };
      socket.onmessage = (event: MessageEvent) => this.#receive(event.data);
      socket.onclose = (event: CloseEvent) => {
        this.#socket = null;
        if (!opened) {
          reject(PonteError.connectionFailed(this.url));
          return;
        }
        const error = this.#closing ? null : PonteError.connectionLost(event.code, event.reason);
        this.emit('close', { code: event.code, reason: event.reason, error });
      };
    });
  }

  /** Sends one frame; returns false when the socket is not open. */
  send(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /** Closes the socket on purpose: the `close` event carries no error. */
  close(): void {
    this.#closing = true;
    this.#socket?.close(1000, 'client closed');
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.emit('error', PonteError.protocol('binary frames are not part of the protocol'));
      return;
    }
    const result = parseServerFrame(data);
    if (result.ok) this.emit('frame', result.frame);
    else this.emit('error', PonteError.protocol(result.message));
  }
}
