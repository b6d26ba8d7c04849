import {
  PROTOCOL_VERSION,
  parseClientFrame,
  type ClientFrame,
  type ErrorCode,
  type IceServer,
  type JoinFrame,
  type LeaveReason,
  type MediaState,
  type PeerInfo,
  type RoomId,
  type ServerFrame,
  type SignalFrame,
  type UpdateFrame,
} from '@ponte/protocol';
import type { Logger } from 'pino';
import { encodeFrame, type EncodedFrame } from './RoomAdapter.js';
import type { RoomRegistry } from './RoomRegistry.js';

/** What a {@link ClientSession} needs from the transport and the rest of the server. */
export interface ClientSessionDeps {
  /** The rooms. */
  registry: RoomRegistry;
  /** ICE servers handed to the client in `joined`. */
  iceServers: IceServer[];
  /** Writes one encoded frame to the client's socket; skips a socket that is not open. */
  send: (frame: EncodedFrame) => void;
  /** A logger already bound to this connection. */
  log: Logger;
}

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
  #queue: Promise<void> = Promise.resolve();
  #room: RoomId | undefined;
  #self: PeerInfo | undefined;
  /** Frames for this peer that arrive between admission and `joined`; see {@link #join}. */
  #held: EncodedFrame[] | undefined;
  #ended = false;

  /** Creates the session of a freshly opened connection. */
  constructor(deps: ClientSessionDeps) {
    this.#deps = deps;
  }

  /** The peer id, while joined. */
  get peerId(): string | undefined {
    return this.#self?.id;
  }

  /** The room, while joined. */
  get room(): RoomId | undefined {
    return this.#room;
  }

  /** Handles one text frame from the client. */
  receive(text: string): void {
    const parsed = parseClientFrame(text);
    if (parsed.ok) this.#enqueue(parsed.frame.type, () => this.#handle(parsed.frame));
    else this.#enqueue(parsed.ref, () => this.#fail('BAD_MESSAGE', parsed.message, parsed.ref));
  }

  /** Handles a binary frame, which the protocol does not use. */
  receiveBinary(): void {
    this.#enqueue(undefined, () => this.#fail('BAD_MESSAGE', 'binary frames are not supported'));
  }

  /**
   * Ends the session after the socket closed or timed out: leaves the room, if any, with
   * `reason`. Frames received afterwards are ignored. Resolves when the room was told.
   */
  end(reason: Exclude<LeaveReason, 'left'>): Promise<void> {
    this.#enqueue(undefined, async () => {
      this.#ended = true;
      await this.#leave(reason);
    });
    return this.#queue;
  }

  #enqueue(ref: string | undefined, task: () => Promise<void> | void): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#ended) return;
      try {
        await task();
      } catch (error) {
        this.#deps.log.error({ err: error, ref, peer: this.#self?.id, room: this.#room }, 'frame handler failed');
        this.#fail('INTERNAL', 'the server failed while handling the frame', ref);
      }
    });
  }

  #handle(frame: ClientFrame): Promise<void> | void {
    if (frame.type === 'join') return this.#join(frame);
    if (this.#self === undefined || this.#room === undefined) {
      return this.#fail('NOT_IN_ROOM', `"${frame.type}" needs a joined room`, frame.type);
    }
    switch (frame.type) {
      case 'signal':
        return this.#signal(frame, this.#room, this.#self);
      case 'update':
        return this.#update(frame, this.#room, this.#self);
      case 'leave':
        return this.#leave('left');
    }
  }

  async #join(frame: JoinFrame): Promise<void> {
    if (this.#room !== undefined) {
      return this.#fail('ALREADY_JOINED', `already in room ${this.#room}; leave first`, 'join');
    }
    if (frame.version !== PROTOCOL_VERSION) {
      return this.#fail(
        'UNSUPPORTED_VERSION',
        `protocol version ${frame.version} is not supported; this server speaks ${PROTOCOL_VERSION}`,
        'join',
      );
    }
    const { registry } = this.#deps;
    // Frames for the new peer (say an offer from a peer that just saw peer-joined) are held
    // until `joined` has been sent, so the client always learns its id first.
    this.#held = [];
    let result;
    try {
      result = await registry.join(frame.room, frame.name, frame.state ?? DEFAULT_MEDIA_STATE, (encoded) =>
        this.#deliver(encoded),
      );
    } catch (error) {
      this.#held = undefined;
      throw error;
    }
    if (!result.ok) {
      this.#held = undefined;
      return this.#fail(
        'ROOM_FULL',
        `room ${frame.room} is full (limit: ${registry.maxPeersPerRoom} peers)`,
        'join',
      );
    }
    this.#room = frame.room;
    this.#self = result.self;
    this.#send({
      type: 'joined',
      version: PROTOCOL_VERSION,
      room: frame.room,
      self: result.self.id,
      peers: result.peers,
      iceServers: this.#deps.iceServers,
      maxPeers: registry.maxPeersPerRoom,
    });
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const encoded of held) this.#deps.send(encoded);
    this.#deps.log.info(
      { peer: result.self.id, room: frame.room, peers: result.peers.length + 1 },
      'peer joined',
    );
  }

  async #signal(frame: SignalFrame, room: RoomId, self: PeerInfo): Promise<void> {
    const relayed = await this.#deps.registry.signal(room, self.id, frame.to, frame.data);
    if (!relayed) this.#fail('UNKNOWN_PEER', `peer ${frame.to} is not in room ${room}`, 'signal');
  }

  async #update(frame: UpdateFrame, room: RoomId, self: PeerInfo): Promise<void> {
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
    await this.#deps.registry.leave(room, peer, reason);
    this.#deps.log.info({ peer, room, reason }, 'peer left');
  }

  #deliver(encoded: EncodedFrame): void {
    if (this.#held !== undefined) this.#held.push(encoded);
    else this.#deps.send(encoded);
  }

  #send(frame: ServerFrame): void {
    this.#deps.send(encodeFrame(frame));
  }

  #fail(code: ErrorCode, message: string, ref?: string): void {
    this.#deps.log.info({ code, ref, peer: this.#self?.id, room: this.#room }, 'error frame');
    this.#send(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }
}
