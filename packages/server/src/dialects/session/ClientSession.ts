import { errorCodeForMinor, type ErrorCode, type LeaveReason, type PeerInfo, type RoomId } from '@ponte/protocol';
import type { EncodedFrame } from '../../rooms/EncodedFrame.js';
import { forbiddenMedia } from '../../admission/joinToken.js';
import type { ResumeGrants } from '../../credentials/resumeToken.js';
import type { RoomCommand, SessionEvent, SfuCommand, SfuEvent, UpdateCommand } from '../Dialect.js';
import type { SfuParticipant } from '../../media/SfuBroker.js';
import { publishedKinds } from '../../media/publishedKinds.js';
import { CommandQueue, type TaskFailureHandler } from './CommandQueue.js';
import { FULL_GRANTS, type EnteringSession, type Entry } from './RoomEntry.js';
import type { SessionServices } from './SessionServices.js';
import type { SignalSender } from './SignalRelay.js';

/** The one client connection a {@link ClientSession} speaks through. */
export interface SessionTransport {
  /** Writes one encoded frame to the client's socket; skips a socket that is not open. */
  send(frame: EncodedFrame): void;
  /** Closes the client's socket (used when a resumed connection supersedes this one). */
  close(code: number, reason: string): void;
  /** The client's IP address, which the room-password delay is counted by. */
  readonly address: string;
  /** The connection's number in the logs. */
  readonly conn: number;
}

/** The features of a server without an SFU. */
const MESH_FEATURES: readonly string[] = Object.freeze(['resume']);

/** The WebSocket close code sent to a connection superseded by a resumed one. */
export const CLOSE_SUPERSEDED = 4000;

/**
 * The server side of one client connection, whatever protocol it speaks: not joined, or
 * joined to one room as one peer. Its dialect turns messages into room commands, which run in
 * order ({@link CommandQueue}): join and resume (`RoomEntry`), signal
 * (`SignalRelay`), update and leave here. A command that throws answers `INTERNAL` and
 * leaves the session usable. An error code newer than the minor version the client stated
 * goes out as `INTERNAL` (`errorCodeForMinor`).
 */
export class ClientSession implements EnteringSession, SignalSender, TaskFailureHandler, SfuParticipant {
  readonly #services: SessionServices;
  readonly #transport: SessionTransport;
  readonly #queue: CommandQueue;
  #room: RoomId | undefined;
  #self: PeerInfo | undefined;
  /** Frames for this peer that arrive between admission and entry; see {@link holdingFrames}. */
  #held: EncodedFrame[] | undefined;
  /** What the peer was granted at join (its token's permissions and name): resumes carry it. */
  #grants: ResumeGrants = FULL_GRANTS;
  /** When fresh credentials are next due (`performance.now()` time); never while not joined. */
  #refreshDue = Infinity;
  /** The minor version the client stated in its last join or resume (0 before, or when it stated none). */
  #minor = 0;
  /** This connection's delivery callback; its identity tells the registry who speaks for the peer. */
  readonly sink = (encoded: EncodedFrame): void => this.#deliver(encoded);
  /**
   * Called by the registry when a resumed connection takes over the peer. Made once: a closure
   * made per join or resume would keep that call's frame and admission alive as long as the
   * peer stays.
   */
  readonly superseded = (): void => this.#supersede();

  /** Creates the session of a freshly opened connection. */
  constructor(services: SessionServices, transport: SessionTransport) {
    this.#services = services;
    this.#transport = transport;
    this.#queue = new CommandQueue(this);
  }

  /** The peer id, while joined. */
  get peerId(): string | undefined {
    return this.#self?.id;
  }

  /** The room, while joined. */
  get room(): RoomId | undefined {
    return this.#room;
  }

  /** @inheritDoc */
  get address(): string {
    return this.#transport.address;
  }

  /** @inheritDoc */
  get conn(): number {
    return this.#transport.conn;
  }

  /** Handles one text message from the client: its UTF-8 bytes. */
  receive(bytes: Buffer): void {
    const received = performance.now();
    const parsed = this.#services.dialect.parse(bytes);
    this.#services.metrics?.frameIn(parsed.ok ? parsed.command.type : 'invalid');
    if (parsed.ok) this.#queue.enqueue(parsed.command.type, () => this.#handle(parsed.command, received));
    else this.#queue.enqueue(parsed.ref, () => this.fail('BAD_MESSAGE', parsed.message, parsed.ref));
  }

  /**
   * Answers a frame that the rate limit dropped unread with `RATE_LIMITED`, in order with the
   * answers to earlier frames; then calls `then` (e.g. to close the socket).
   */
  receiveLimited(then?: () => void): void {
    this.#services.metrics?.frameIn('limited');
    this.#queue.enqueue(undefined, () => {
      this.fail('RATE_LIMITED', 'too many frames; this one was dropped, slow down');
      then?.();
    });
  }

  /** Handles a binary frame, which the protocol does not use. */
  receiveBinary(): void {
    this.#queue.enqueue(undefined, () => this.fail('BAD_MESSAGE', 'binary frames are not supported'));
  }

  /**
   * Ends the session after the socket closed or timed out: leaves the room, if any, with
   * `reason`. Frames received afterwards are ignored. Resolves when the room was told.
   */
  end(reason: Exclude<LeaveReason, 'left'>, hold = false): Promise<void> {
    this.#queue.enqueue(undefined, async () => {
      this.#queue.stop();
      this.#refreshDue = Infinity;
      const room = this.#room;
      const peer = this.#self?.id;
      if (room === undefined || peer === undefined) return;
      const { registry, log, sfu } = this.#services;
      // The SFU connections of a held peer end too: a resume publishes and subscribes again.
      await sfu?.left(peer);
      if (hold) await registry.detach(room, peer, this.sink);
      else await registry.leave(room, peer, reason, this.sink);
      log.info({ conn: this.#transport.conn, peer, room, reason }, hold ? 'peer away, held for resume' : 'peer left');
    });
    return this.#queue.idle();
  }

  /**
   * Sends fresh credentials once they are due, half their lifetime after the last ones. The
   * transport calls it for every connection from one shared timer.
   */
  refreshIfDue(now: number): void {
    if (now < this.#refreshDue) return;
    const { refresh } = this.#services;
    this.#refreshDue = refresh.nextDue(now);
    const room = this.#room;
    const peer = this.#self?.id;
    if (room === undefined || peer === undefined || this.#queue.stopped) return;
    this.#send(refresh.refresh(room, peer, this.#grants));
  }

  /** @inheritDoc */
  taskFailed(error: unknown, ref: string | undefined): void {
    this.#services.log.error({ conn: this.#transport.conn, err: error, ref, peer: this.#self?.id, room: this.#room }, 'frame handler failed');
    this.fail('INTERNAL', 'the server failed while handling the frame', ref);
  }

  /** @inheritDoc */
  async holdingFrames<T extends { ok: boolean }>(enter: () => Promise<T>): Promise<T> {
    this.#held = [];
    try {
      const result = await enter();
      if (!result.ok) this.#held = undefined;
      return result;
    } catch (error) {
      this.#held = undefined;
      throw error;
    }
  }

  /**
   * Enters `room` as `self`: tells the client with fresh credentials, then sends the frames to
   * replay and those held for the peer meanwhile, and starts refreshing the credentials.
   */
  enter(room: RoomId, self: PeerInfo, grants: ResumeGrants, entry: Entry, queued: EncodedFrame[]): void {
    const { refresh, dialect } = this.#services;
    this.#room = room;
    this.#self = self;
    this.#grants = grants;
    const { sfu } = this.#services;
    const topology = sfu !== undefined && entry.request.features?.includes('sfu') === true ? { topology: sfu.topologyOf(room) } : {};
    this.#send({ ...entry, room, self, features: sfu?.features ?? MESH_FEATURES, ...topology, ...refresh.grant(room, self.id, grants) });
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const encoded of queued) this.#transport.send(dialect.fromRoom(encoded));
    // Held frames went through #deliver, so they are in the dialect's frames already.
    for (const encoded of held) this.#transport.send(encoded);
    this.#refreshDue = refresh.nextDue(performance.now());
  }

  /**
   * Answers the client with an error. Metrics and logs count `code`; the frame carries
   * `INTERNAL` instead when the client's minor version predates `code`.
   */
  fail(code: ErrorCode, message: string, ref?: string): void {
    this.#services.metrics?.error(code);
    this.#services.log.info({ conn: this.#transport.conn, code, ref, peer: this.#self?.id, room: this.#room }, 'error frame');
    const sent = errorCodeForMinor(code, this.#minor);
    this.#send(ref === undefined ? { type: 'error', code: sent, message } : { type: 'error', code: sent, message, ref });
  }

  #handle(command: RoomCommand, received: number): Promise<void> | void {
    const { entry, relay } = this.#services;
    if (command.type === 'join' || command.type === 'resume') this.#minor = command.minor ?? 0;
    if (command.type === 'join') return entry.join(this, command);
    if (command.type === 'resume') return entry.resume(this, command);
    if (this.#self === undefined || this.#room === undefined) {
      return this.fail('NOT_IN_ROOM', `"${command.type}" needs a joined room`, command.type);
    }
    switch (command.type) {
      case 'signal':
        return relay.relay(this, command, this.#room, this.#self.id, received);
      case 'message':
        return relay.message(this, command, this.#room, this.#self.id);
      case 'update':
        return this.#update(command, this.#room, this.#self);
      case 'leave':
        return this.#leave('left');
      default:
        return this.#sfuRequest(command, this.#room, this.#self.id);
    }
  }

  /** @inheritDoc */
  sendSfu(event: SfuEvent): void {
    if (this.#self !== undefined) this.#send(event);
  }

  /** An `sfu-*` request: brokered to the SFU when the server has one and the join token allows it. */
  #sfuRequest(command: SfuCommand, room: RoomId, peer: string): Promise<void> | void {
    const { sfu } = this.#services;
    if (sfu === undefined) return this.fail('SFU_FAILED', 'this server has no SFU', command.type);
    if (command.type === 'sfu-publish') {
      const { publishAudio, publishVideo } = this.#grants.permissions;
      const kinds = publishedKinds(command.description.sdp);
      if ((kinds.has('audio') && !publishAudio) || (kinds.has('video') && !publishVideo)) {
        return this.fail(
          'FORBIDDEN',
          `the join token does not allow publishing ${kinds.has('audio') && !publishAudio ? 'audio' : 'video'}`,
          command.type,
        );
      }
    }
    return sfu.handle(this, room, peer, command);
  }

  /** A resumed connection now speaks for our peer: this one ends without leaving the room. */
  #supersede(): void {
    this.#queue.stop();
    this.#refreshDue = Infinity;
    this.#room = undefined;
    this.#self = undefined;
    this.#transport.close(CLOSE_SUPERSEDED, 'superseded by a resumed connection');
  }

  async #update(command: UpdateCommand, room: RoomId, self: PeerInfo): Promise<void> {
    const forbidden = forbiddenMedia(command.state, this.#grants.permissions);
    if (forbidden !== undefined) {
      return this.fail('FORBIDDEN', `the join token does not allow publishing ${forbidden}`, 'update');
    }
    if (command.name !== undefined && this.#grants.name !== undefined && command.name !== this.#grants.name) {
      return this.fail('FORBIDDEN', 'the join token sets the display name', 'update');
    }
    const next: PeerInfo = {
      id: self.id,
      name: command.name ?? self.name,
      state: { ...self.state, ...command.state },
    };
    this.#self = next;
    await this.#services.registry.update(room, next);
  }

  async #leave(reason: LeaveReason): Promise<void> {
    const room = this.#room;
    const peer = this.#self?.id;
    if (room === undefined || peer === undefined) return;
    this.#room = undefined;
    this.#self = undefined;
    this.#refreshDue = Infinity;
    await this.#services.sfu?.left(peer);
    await this.#services.registry.leave(room, peer, reason, this.sink);
    this.#services.log.info({ conn: this.#transport.conn, peer, room, reason }, 'peer left');
  }

  #deliver(encoded: EncodedFrame): void {
    const frame = this.#services.dialect.fromRoom(encoded);
    if (this.#held !== undefined) this.#held.push(frame);
    else this.#transport.send(frame);
  }

  #send(event: SessionEvent): void {
    this.#transport.send(this.#services.dialect.encode(event));
  }
}
