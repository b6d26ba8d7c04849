import { ClientSession, type SessionTransport } from '../dialects/session/ClientSession.js';
import type { SessionServices } from '../dialects/session/SessionServices.js';
import type { EncodedFrame } from '../rooms/EncodedFrame.js';
import type { ResolvedSecurityOptions } from '../config/securityOptions.js';
import { TokenBucket } from '../admission/TokenBucket.js';
import { CloseCode } from './frame.js';
import type { ServerSocket } from './ServerSocket.js';

/** The close code for a socket that kept sending faster than the rate limit (policy violation). */
export const CLOSE_RATE_LIMITED = CloseCode.policyViolation;

/**
 * One open WebSocket and its {@link ClientSession}: the rate limit, the socket's fate (why
 * it went away, whether its room membership is held for a resume) and the way frames go out.
 *
 * Plain fields and methods, no closures: the transport's socket listeners are shared by
 * every connection and find theirs by socket, so an idle connection costs little memory.
 */
export class Connection implements SessionTransport {
  readonly session: ClientSession;
  /** Why the socket is going away, as its room will be told. */
  reason: 'disconnected' | 'timeout' = 'disconnected';
  /** Set when the socket was failed for a protocol violation (e.g. 1009): no resume hold then. */
  #faulted = false;
  readonly #bucket: TokenBucket | undefined;
  #limitedSince = 0;
  #limitedCount = 0;
  #closedForAbuse = false;
  /** The session's end, once the socket closed. */
  #ending: Promise<void> | undefined;
  /** Resolves a caller of {@link ended} that came before the socket closed. */
  #whenEnded: (() => void) | undefined;
  /** Shared by every connection of the server. */
  readonly #services: SessionServices;

  constructor(
    readonly ws: ServerSocket,
    /** The client's IP address. */
    readonly address: string,
    /** This connection's number in the logs. */
    readonly conn: number,
    services: SessionServices,
    readonly rateLimit: ResolvedSecurityOptions['rateLimit'],
  ) {
    this.#services = services;
    this.session = new ClientSession(services, this);
    this.#bucket = rateLimit === false ? undefined : new TokenBucket(rateLimit.framesPerSecond, rateLimit.burst);
  }

  /** @inheritDoc */
  send(frame: EncodedFrame): void {
    if (this.ws.send(frame.bytes)) this.#services.metrics?.frameOut(frame.type);
  }

  /** @inheritDoc */
  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** Handles one message from the socket: rate limit, then the session. */
  receive(data: Buffer, isBinary: boolean): void {
    if (this.#closedForAbuse) return;
    if (this.#bucket !== undefined && !this.#bucket.take()) {
      this.#limited();
      return;
    }
    if (isBinary) this.session.receiveBinary();
    else this.session.receive(data);
  }

  /**
   * A ping came: it takes a token like any frame, and returns whether to answer it. One over
   * the limit goes unanswered (an error frame per ping would only feed the flood) and counts
   * toward closing the socket like any other.
   */
  ping(): boolean {
    if (this.#closedForAbuse) return false;
    if (this.#bucket === undefined || this.#bucket.take()) return true;
    this.#services.metrics?.frameIn('limited');
    if (this.#overLimit()) this.#closeForAbuse();
    return false;
  }

  /** The client broke the protocol; the socket closes itself. */
  fault(): void {
    this.#faulted = true;
  }

  /**
   * The socket closed with `code`: the session leaves its room, or (a socket that broke
   * without a close handshake, or any while the server shuts down) is held for a resume.
   * Returns whether it was held.
   */
  closed(code: number, shuttingDown: boolean): boolean {
    const hold = shuttingDown || (code === CloseCode.abnormal && this.reason === 'disconnected' && !this.#faulted);
    this.#ending = this.session.end(this.reason, hold);
    if (this.#whenEnded !== undefined) void this.#ending.then(this.#whenEnded);
    return hold;
  }

  /** Resolves once the session has ended after the socket closed. */
  ended(): Promise<void> {
    return this.#ending ?? new Promise((resolve) => (this.#whenEnded = resolve));
  }

  #limited(): void {
    if (!this.#overLimit()) {
      this.session.receiveLimited();
      return;
    }
    // Answered like the others, then closed once the answers before it are out.
    this.#closedForAbuse = true;
    this.session.receiveLimited(() => this.#closeForAbuse());
  }

  /** Counts one frame refused by the rate limit; returns whether the socket must now be closed. */
  #overLimit(): boolean {
    const rate = this.rateLimit;
    if (rate === false) return false;
    const now = performance.now();
    if (now - this.#limitedSince > rate.closeWindowMs) {
      this.#limitedSince = now;
      this.#limitedCount = 0;
    }
    this.#limitedCount += 1;
    return this.#limitedCount > rate.closeAfter;
  }

  /** Fails the socket (counted and logged as a 1008 by the transport); nothing more it sends is read. */
  #closeForAbuse(): void {
    this.#closedForAbuse = true;
    this.ws.fail(CLOSE_RATE_LIMITED, `over the rate limit ${this.#limitedCount} times`);
  }
}
