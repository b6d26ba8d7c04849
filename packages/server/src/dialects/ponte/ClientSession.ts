import {
  FEATURES,
  PROTOCOL_MINOR,
  PROTOCOL_VERSION,
  featuresAnswer,
  isSupportedVersion,
  parseClientFrame,
  type ClientFrame,
  type ErrorCode,
  type JoinFrame,
  type ResumeFrame,
  type LeaveReason,
  type MediaState,
  type PeerInfo,
  type RoomId,
  type ServerFrame,
  type SignalFrame,
  type UpdateFrame,
} from '@ponte/protocol';
import type { Logger } from 'pino';
import { encodeServerFrame, type EncodedFrame } from '../../rooms/EncodedFrame.js';
import type { RoomJoinConditions } from '../../rooms/RoomStore.js';
import { memberJson } from './jsonMember.js';
import type { RoomRegistry } from '../../rooms/RoomRegistry.js';
import type { JoinGate } from '../../admission/JoinGate.js';
import { ALL_PERMISSIONS, forbiddenMedia } from '../../admission/joinToken.js';
import type { ServerMetrics } from '../../observability/ServerMetrics.js';
import type { ResumeGrants } from '../../credentials/resumeToken.js';
import type { SessionCredentials } from '../../credentials/SessionCredentials.js';

/** What every {@link ClientSession} of a server shares: the rest of the server. */
export interface ClientSessionDeps {
  /** The rooms. */
  registry: RoomRegistry;
  /** ICE servers, TURN credentials, relay policy and resume tokens. */
  credentials: SessionCredentials;
  /** The server's logger; a session adds its connection's number to each line. */
  log: Logger;
  /** Admission checks of `join`: tokens, room passwords, server caps. Default: none. */
  gate?: JoinGate;
  /** Counts frames, errors and relay latency. */
  metrics?: ServerMetrics;
}

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

/** The WebSocket close code sent to a connection superseded by a resumed one. */
export const CLOSE_SUPERSEDED = 4000;

/** What a peer without a join token is granted (one shared object, not one per session). */
const FULL_GRANTS: ResumeGrants = Object.freeze({ permissions: ALL_PERMISSIONS });

/** The media state of a peer whose `join` does not state one. */
const DEFAULT_MEDIA_STATE: MediaState = { audio: false, video: false, screen: false };

/**
 * The server side of one client connection: its protocol state (not joined, or joined to
 * one room as one peer) and the handlers of join, signal, update and leave.
 *
 * Inbound frames are handled strictly one after another, so replies keep the order of the
 * requests and a second join cannot overtake a pending first one. A handler that throws
 * answers `INTERNAL` and leaves the session usable.
 */
export class ClientSession {
  readonly #deps: ClientSessionDeps;
  readonly #transport: SessionTransport;
  /** The last handler started or queued, while one is unfinished; undefined when idle. */
  #tail: Promise<void> | undefined;
  #room: RoomId | undefined;
  #self: PeerInfo | undefined;
  /** Frames for this peer that arrive between admission and `joined`; see {@link #join}. */
  #held: EncodedFrame[] | undefined;
  #ended = false;
  /** What the peer was granted at join (its token's permissions and name): resumes carry it. */
  #grants: ResumeGrants = FULL_GRANTS;
  /** When fresh credentials are next due (`performance.now()` time); never while not joined. */
  #refreshDue = Infinity;
  /** This connection's delivery callback; its identity tells the registry who speaks for the peer. */
  readonly #sink = (encoded: EncodedFrame): void => this.#deliver(encoded);
  /**
   * Called by the registry when a resumed connection takes over the peer. Made once: a closure
   * made inside #join or #resume would keep that call's frame and admission alive as long as
   * the peer stays.
   */
  readonly #superseded = (): void => this.#supersede();

  /** Creates the session of a freshly opened connection. */
  constructor(deps: ClientSessionDeps, transport: SessionTransport) {
    this.#deps = deps;
    this.#transport = transport;
  }

  /** The peer id, while joined. */
  get peerId(): string | undefined {
    return this.#self?.id;
  }

  /** The room, while joined. */
  get room(): RoomId | undefined {
    return this.#room;
  }

  /** Handles one text frame from the client: its UTF-8 bytes. */
  receive(bytes: Buffer): void {
    const received = performance.now();
    const parsed = parseClientFrame(bytes.toString('utf8'));
    this.#deps.metrics?.frameIn(parsed.ok ? parsed.frame.type : 'invalid');
    if (parsed.ok) this.#enqueue(parsed.frame.type, () => this.#handle(parsed.frame, bytes, received));
    else this.#enqueue(parsed.ref, () => this.#fail('BAD_MESSAGE', parsed.message, parsed.ref));
  }

  /**
   * Answers a frame that the rate limit dropped unread with `RATE_LIMITED`, in order with the
   * answers to earlier frames; then calls `then` (e.g. to close the socket).
   */
  receiveLimited(then?: () => void): void {
    this.#deps.metrics?.frameIn('limited');
    this.#enqueue(undefined, () => {
      this.#fail('RATE_LIMITED', 'too many frames; this one was dropped, slow down');
      then?.();
    });
  }

  /** Handles a binary frame, which the protocol does not use. */
  receiveBinary(): void {
    this.#enqueue(undefined, () => this.#fail('BAD_MESSAGE', 'binary frames are not supported'));
  }

  /**
   * Ends the session after the socket closed or timed out: leaves the room, if any, with
   * `reason`. Frames received afterwards are ignored. Resolves when the room was told.
   */
  end(reason: Exclude<LeaveReason, 'left'>, hold = false): Promise<void> {
    this.#enqueue(undefined, async () => {
      this.#ended = true;
      this.#refreshDue = Infinity;
      const room = this.#room;
      const peer = this.#self?.id;
      if (room === undefined || peer === undefined) return;
      if (hold) await this.#deps.registry.detach(room, peer, this.#sink);
      else await this.#deps.registry.leave(room, peer, reason, this.#sink);
      this.#deps.log.info({ conn: this.#transport.conn, peer, room, reason }, hold ? 'peer away, held for resume' : 'peer left');
    });
    return this.#tail ?? Promise.resolve();
  }

  /** Runs `task` now if the session is idle (the usual case), else after the queued ones. */
  #enqueue(ref: string | undefined, task: () => Promise<void> | void): void {
    const pending = this.#tail === undefined ? this.#run(ref, task) : this.#tail.then(() => this.#run(ref, task));
    if (pending === undefined) return;
    const tail: Promise<void> = pending.then(() => {
      if (this.#tail === tail) this.#tail = undefined;
    });
    this.#tail = tail;
  }

  /** Runs one handler; one that throws or rejects is answered `INTERNAL`. */
  #run(ref: string | undefined, task: () => Promise<void> | void): Promise<void> | undefined {
    if (this.#ended) return undefined;
    try {
      return task()?.catch((error: unknown) => this.#internal(error, ref));
    } catch (error) {
      this.#internal(error, ref);
      return undefined;
    }
  }

  #internal(error: unknown, ref: string | undefined): void {
    this.#deps.log.error({ conn: this.#transport.conn, err: error, ref, peer: this.#self?.id, room: this.#room }, 'frame handler failed');
    this.#fail('INTERNAL', 'the server failed while handling the frame', ref);
  }

  #handle(frame: ClientFrame, bytes: Buffer, received: number): Promise<void> | void {
    if (frame.type === 'join') return this.#join(frame);
    if (frame.type === 'resume') return this.#resume(frame);
    if (this.#self === undefined || this.#room === undefined) {
      return this.#fail('NOT_IN_ROOM', `"${frame.type}" needs a joined room`, frame.type);
    }
    switch (frame.type) {
      case 'signal':
        return this.#signal(frame, bytes, this.#room, this.#self, received);
      case 'update':
        return this.#update(frame, this.#room, this.#self);
      case 'leave':
        return this.#leave('left');
    }
  }

  async #join(frame: JoinFrame, attempt = 1): Promise<void> {
    if (!this.#mayEnter(frame.version, 'join')) return;
    const admission = this.#deps.gate ? await this.#deps.gate.admit(frame, this.#transport.address) : undefined;
    if (admission?.ok === false) return this.#fail(admission.code, admission.message, 'join');
    const { registry } = this.#deps;
    const result = await this.#holdingFrames(() =>
      registry.join({
        room: frame.room,
        name: admission?.name ?? frame.name,
        state: frame.state ?? DEFAULT_MEDIA_STATE,
        sink: this.#sink,
        onSuperseded: this.#superseded,
        admission: admission?.joinOptions,
      }),
    );
    if (!result.ok) {
      // The room's password changed between the check and the join: check again.
      if (result.reason === 'changed' && attempt < 3) return this.#join(frame, attempt + 1);
      if (result.reason === 'rooms' || result.reason === 'peers') {
        return this.#fail('SERVER_FULL', `this server holds as many ${result.reason} as it admits; try again later`, 'join');
      }
      return this.#fail(
        'ROOM_FULL',
        `room ${frame.room} is full (limit: ${registry.maxPeersPerRoom} peers)`,
        'join',
      );
    }
    const passwordHash = admission?.joinOptions.create?.passwordHash ?? admission?.joinOptions.expectPasswordHash ?? undefined;
    const permissions = admission?.permissions ?? ALL_PERMISSIONS;
    const nameFixed = admission?.nameFixed === true;
    this.#grants =
      permissions === ALL_PERMISSIONS && !nameFixed && !passwordHash
        ? FULL_GRANTS
        : { permissions, ...(nameFixed ? { name: result.self.name } : {}), ...(passwordHash ? { passwordHash } : {}) };
    this.#welcome(frame.room, result.self, { type: 'joined', peers: result.peers, ...featuresAnswer(frame, FEATURES) }, []);
    this.#deps.log.info({ conn: this.#transport.conn, peer: result.self.id, room: frame.room, peers: result.peers.length + 1 },
      'peer joined',
    );
  }

  async #resume(frame: ResumeFrame): Promise<void> {
    if (!this.#mayEnter(frame.version, 'resume')) return;
    const verified = this.#deps.credentials.verifyResumeToken(frame.token);
    if (!verified.ok) return this.#fail('RESUME_FAILED', `the resume token is ${verified.error}; join again`, 'resume');
    const { room, peer, grants } = verified.claims;
    const forbidden = forbiddenMedia(frame.state, grants.permissions);
    if (forbidden !== undefined) {
      return this.#fail('FORBIDDEN', `the join token does not allow publishing ${forbidden}`, 'resume');
    }
    const self: PeerInfo = { id: peer, name: grants.name ?? frame.name, state: frame.state };
    const readmit: RoomJoinConditions = {
      ...this.#deps.gate?.caps,
      ...(grants.passwordHash === undefined ? {} : { create: { passwordHash: grants.passwordHash } }),
    };
    const result = await this.#holdingFrames(() =>
      this.#deps.registry.resume({
        room,
        peer: self,
        received: frame.received,
        sink: this.#sink,
        onSuperseded: this.#superseded,
        admission: readmit,
      }),
    );
    if (!result.ok) {
      return this.#fail('RESUME_FAILED', `room ${room} cannot take the peer back (${result.reason}); join again`, 'resume');
    }
    this.#grants = grants;
    const { peers, lapsed, replayFrom, replay } = result;
    this.#welcome(room, self, { type: 'resumed', peers, lapsed, replayFrom, ...featuresAnswer(frame, FEATURES) }, replay);
    this.#deps.log.info({ conn: this.#transport.conn, peer, room, lapsed, replayed: replay.length }, 'peer resumed');
  }

  /** Whether a `join` or `resume` may be taken now; if not, the client has been told why. */
  #mayEnter(version: number, ref: 'join' | 'resume'): boolean {
    if (this.#room !== undefined) {
      this.#fail('ALREADY_JOINED', `already in room ${this.#room}; leave first`, ref);
      return false;
    }
    // Any minor of our major: a newer client's extra fields were dropped by the parser.
    if (!isSupportedVersion(version)) {
      this.#fail('UNSUPPORTED_VERSION', `protocol version ${version} is not supported; this server speaks ${PROTOCOL_VERSION}.${PROTOCOL_MINOR} (any ${PROTOCOL_VERSION}.x)`, ref);
      return false;
    }
    return true;
  }

  /**
   * Runs a registry join or resume while holding the frames that arrive for the peer
   * meanwhile (say an offer from a peer that just saw peer-joined): they go out after
   * `joined`/`resumed` (see {@link #welcome}), so the client always learns its id first.
   * They are dropped if the peer does not get in.
   */
  async #holdingFrames<T extends { ok: boolean }>(enter: () => Promise<T>): Promise<T> {
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
   * Enters `room` as `self`: sends `joined`/`resumed` with fresh credentials, then the frames
   * to replay and those held for the peer meanwhile, and starts refreshing the credentials.
   */
  #welcome(
    room: RoomId,
    self: PeerInfo,
    answer:
      | { type: 'joined'; peers: PeerInfo[]; minor?: number; features?: string[] }
      | { type: 'resumed'; peers: PeerInfo[]; lapsed: boolean; replayFrom: number; minor?: number; features?: string[] },
    queued: EncodedFrame[],
  ): void {
    const { credentials, registry } = this.#deps;
    this.#room = room;
    this.#self = self;
    this.#send({
      ...answer,
      version: PROTOCOL_VERSION,
      room,
      self: self.id,
      iceServers: credentials.iceServers(self.id),
      iceTransportPolicy: credentials.iceTransportPolicy(room),
      maxPeers: registry.maxPeersPerRoom,
      resumeToken: credentials.resumeToken(room, self.id, this.#grants),
    });
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const encoded of [...queued, ...held]) this.#transport.send(encoded);
    this.#refreshDue = performance.now() + credentials.refreshIntervalMs;
  }

  /**
   * Sends fresh credentials (`refresh`) once they are due, half their lifetime after the last
   * ones. The transport calls it for every connection from one shared timer.
   */
  refreshIfDue(now: number): void {
    if (now < this.#refreshDue) return;
    this.#refreshDue = now + this.#deps.credentials.refreshIntervalMs;
    const room = this.#room;
    const peer = this.#self?.id;
    if (room === undefined || peer === undefined || this.#ended) return;
    const { credentials } = this.#deps;
    const resumeToken = credentials.resumeToken(room, peer, this.#grants);
    this.#send({ type: 'refresh', resumeToken, iceServers: credentials.iceServers(peer) });
  }

  /** A resumed connection now speaks for our peer: this one ends without leaving the room. */
  #supersede(): void {
    this.#ended = true;
    this.#refreshDue = Infinity;
    this.#room = undefined;
    this.#self = undefined;
    this.#transport.close(CLOSE_SUPERSEDED, 'superseded by a resumed connection');
  }

  /** Relays a signal; `bytes` is the frame as received, whose `data` text is relayed as is. */
  #signal(frame: SignalFrame, bytes: Buffer, room: RoomId, self: PeerInfo, received: number): Promise<void> | void {
    // The frame passed validation, so its text has a `data` member.
    const data = memberJson(bytes, 'data')!;
    const relayed = this.#deps.registry.signal(room, self.id, frame.to, data);
    // The in-memory bus answers at once: no closure for the common case.
    if (typeof relayed === 'boolean') return this.#signalSettled(relayed, frame.to, room, received);
    return relayed.then((delivered) => this.#signalSettled(delivered, frame.to, room, received));
  }

  #signalSettled(delivered: boolean, to: string, room: RoomId, received: number): void {
    if (delivered) this.#deps.metrics?.relayed((performance.now() - received) / 1000);
    else this.#fail('UNKNOWN_PEER', `peer ${to} is not in room ${room}`, 'signal');
  }

  async #update(frame: UpdateFrame, room: RoomId, self: PeerInfo): Promise<void> {
    const forbidden = forbiddenMedia(frame.state, this.#grants.permissions);
    if (forbidden !== undefined) {
      return this.#fail('FORBIDDEN', `the join token does not allow publishing ${forbidden}`, 'update');
    }
    if (frame.name !== undefined && this.#grants.name !== undefined && frame.name !== this.#grants.name) {
      return this.#fail('FORBIDDEN', 'the join token sets the display name', 'update');
    }
    const next: PeerInfo = {
      id: self.id,
      name: frame.name ?? self.name,
      state: { ...self.state, ...frame.state },
    };
    this.#self = next;
    await this.#deps.registry.update(room, next);
  }

  async #leave(reason: LeaveReason): Promise<void> {
    const room = this.#room;
    const peer = this.#self?.id;
    if (room === undefined || peer === undefined) return;
    this.#room = undefined;
    this.#self = undefined;
    this.#refreshDue = Infinity;
    await this.#deps.registry.leave(room, peer, reason, this.#sink);
    this.#deps.log.info({ conn: this.#transport.conn, peer, room, reason }, 'peer left');
  }

  #deliver(encoded: EncodedFrame): void {
    if (this.#held !== undefined) this.#held.push(encoded);
    else this.#transport.send(encoded);
  }

  #send(frame: ServerFrame): void {
    this.#transport.send(encodeServerFrame(frame));
  }

  #fail(code: ErrorCode, message: string, ref?: string): void {
    this.#deps.metrics?.error(code);
    this.#deps.log.info({ conn: this.#transport.conn, code, ref, peer: this.#self?.id, room: this.#room }, 'error frame');
    this.#send(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }
}
