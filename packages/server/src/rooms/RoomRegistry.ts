import { randomBytes } from 'node:crypto';
import type {
  LeaveReason,
  MediaState,
  PeerId,
  PeerInfo,
  RoomId,
  ServerFrame,
} from '@ponte/protocol';
import {
  encodeFrame,
  encodeSignal,
  type AdapterJoinOptions,
  type AdapterJoinResult,
  type AdapterStats,
  type EncodedFrame,
  type RoomAdapter,
} from './RoomAdapter.js';
import { ReplayLog } from './ReplayLog.js';

/** Where the registry hands frames for one locally connected peer. Must not throw. */
export type PeerSink = (frame: EncodedFrame) => void;

/** The outcome of {@link RoomRegistry.resume}. */
export type RegistryResumeResult =
  | {
      ok: true;
      /** The others in the room. */
      peers: PeerInfo[];
      /** The room had already been told this peer left: it must reconnect to everyone. */
      lapsed: boolean;
      /** Frames the peer has not received (from index `replayFrom`), to send after `resumed`. */
      replay: EncodedFrame[];
      replayFrom: number;
    }
  | Extract<AdapterJoinResult, { ok: false }>;

/** A peer whose socket broke: still a member, its frames logged, until it resumes or the grace ends. */
interface AwayPeer {
  room: RoomId;
  timer: NodeJS.Timeout;
}

/** The outcome of {@link RoomRegistry.join}. */
export type RegistryJoinResult =
  | { ok: true; /** the joiner, with its minted id */ self: PeerInfo; /** the others */ peers: PeerInfo[] }
  | Extract<AdapterJoinResult, { ok: false }>;

/** Options of a {@link RoomRegistry}. */
export interface RoomRegistryOptions {
  /** Holds membership and delivers frames. */
  adapter: RoomAdapter;
  /** The most peers one room admits. */
  maxPeersPerRoom: number;
  /** Mints a peer id. Default: 12 random bytes as base64url (16 characters). */
  mintPeerId?: () => PeerId;
  /** How long a broken connection's membership is held for it to resume, in ms. Default 0 (not held). */
  reconnectGraceMs?: number;
  /** How many of the last frames delivered to each peer are kept to replay after a resume. Default 128. */
  replayLimit?: number;
}

/** How long a lapsed peer is remembered, so its resume can be told it lapsed. */
const LAPSED_MEMORY_MS = 10 * 60_000;

/** Mints an unguessable, URL-safe peer id of 16 characters. */
export function mintPeerId(): PeerId {
  return randomBytes(12).toString('base64url');
}

/**
 * The rooms as this process sees them: mints peer ids, keeps the sinks of locally connected
 * peers, and turns joins, leaves, updates and signals into adapter calls and room events.
 * It knows nothing about sockets or frames on the wire.
 */
export class RoomRegistry {
  readonly #adapter: RoomAdapter;
  readonly #maxPeers: number;
  readonly #mintPeerId: () => PeerId;
  readonly #sinks = new Map<PeerId, PeerSink>();
  readonly #onSuperseded = new Map<PeerId, () => void>();
  readonly #away = new Map<PeerId, AwayPeer>();
  readonly #logs = new Map<PeerId, ReplayLog>();
  readonly #lapsed = new Map<PeerId, number>();
  readonly #graceMs: number;
  readonly #replayLimit: number;

  /** Creates a registry and registers it as the adapter's delivery handler. */
  constructor(options: RoomRegistryOptions) {
    this.#adapter = options.adapter;
    this.#maxPeers = options.maxPeersPerRoom;
    this.#mintPeerId = options.mintPeerId ?? mintPeerId;
    this.#graceMs = options.reconnectGraceMs ?? 0;
    this.#replayLimit = options.replayLimit ?? 128;
    this.#adapter.setDeliveryHandler((peerId, frame) => this.#deliverLocal(peerId, frame));
  }

  /** The most peers one room admits. */
  get maxPeersPerRoom(): number {
    return this.#maxPeers;
  }

  /**
   * Adds a new peer to `room`. On success the others have already been sent `peer-joined`
   * when this resolves, and `sink` receives every later frame addressed to the peer.
   */
  async join(
    room: RoomId,
    name: string,
    state: MediaState,
    sink: PeerSink,
    onSuperseded?: () => void,
    options?: AdapterJoinOptions,
  ): Promise<RegistryJoinResult> {
    const self: PeerInfo = { id: this.#mintPeerId(), name, state };
    // Registered before the adapter admits the peer so that nothing addressed to it is lost.
    this.#sinks.set(self.id, sink);
    let result;
    try {
      result = await this.#adapter.join(room, self, this.#maxPeers, options);
    } catch (error) {
      this.#forget(self.id);
      throw error;
    }
    if (!result.ok) {
      this.#forget(self.id);
      return result;
    }
    if (onSuperseded !== undefined) this.#onSuperseded.set(self.id, onSuperseded);
    await this.#broadcast(room, { type: 'peer-joined', peer: self }, self.id);
    return { ok: true, self, peers: result.peers };
  }

  /**
   * Removes a peer from its room and tells the others `peer-left` with `reason`. With `sink`,
   * only if that sink still speaks for the peer (a resumed peer's old connection does not
   * take it out of the room).
   */
  async leave(room: RoomId, peerId: PeerId, reason: LeaveReason, sink?: PeerSink): Promise<void> {
    if (sink !== undefined && this.#sinks.get(peerId) !== sink) return;
    this.#forget(peerId);
    if (reason !== 'left') this.#rememberLapsed(peerId);
    const wasMember = await this.#adapter.leave(room, peerId);
    if (wasMember) await this.#broadcast(room, { type: 'peer-left', peer: peerId, reason });
  }

  /**
   * The connection behind `sink` broke without a goodbye: keep the peer in its room for the
   * grace period, queueing its frames, then let it go as `disconnected`.
   */
  async detach(room: RoomId, peerId: PeerId, sink: PeerSink): Promise<void> {
    if (this.#sinks.get(peerId) !== sink) return;
    if (this.#graceMs === 0) return this.leave(room, peerId, 'disconnected');
    this.#sinks.delete(peerId);
    this.#onSuperseded.delete(peerId);
    const timer = setTimeout(() => {
      if (this.#away.get(peerId)?.timer === timer) void this.leave(room, peerId, 'disconnected');
    }, this.#graceMs);
    timer.unref();
    this.#away.set(peerId, { room, timer });
  }

  /**
   * Brings a peer back as `peer.id` into `room` after a lost connection: from the grace hold,
   * from an older connection still open (which is superseded), or, when this server has no
   * trace of it (a restart, another process), by re-admitting it under the same id.
   */
  async resume(
    room: RoomId,
    peer: PeerInfo,
    received: number,
    sink: PeerSink,
    onSuperseded: () => void,
    /** Caps and the room record for re-admitting a peer this process has no trace of. */
    readmit?: AdapterJoinOptions,
  ): Promise<RegistryResumeResult> {
    const away = this.#away.get(peer.id);
    const previous = this.#onSuperseded.get(peer.id);
    let lapsed = false;
    // The replay is taken in the same step as the sink is set: later frames go to the sink.
    let replay: { from: number; frames: EncodedFrame[] };
    if (away !== undefined && away.room === room) {
      clearTimeout(away.timer);
      this.#away.delete(peer.id);
      this.#sinks.set(peer.id, sink);
      replay = this.#log(peer.id).since(received);
    } else if (this.#sinks.has(peer.id)) {
      this.#sinks.set(peer.id, sink);
      replay = this.#log(peer.id).since(received);
      previous?.();
    } else {
      lapsed = this.#isLapsed(peer.id);
      this.#sinks.set(peer.id, sink);
      this.#logs.delete(peer.id);
      replay = { from: 0, frames: [] };
      const result = await this.#adapter.join(room, peer, this.#maxPeers, readmit);
      if (!result.ok) {
        this.#forget(peer.id);
        return result;
      }
      // Peers that kept their connection to it recognise the id and keep it.
      await this.#broadcast(room, { type: 'peer-joined', peer }, peer.id);
    }
    this.#onSuperseded.set(peer.id, onSuperseded);
    this.#lapsed.delete(peer.id);
    if (await this.#adapter.update(room, peer)) {
      await this.#broadcast(room, { type: 'peer-updated', peer }, peer.id);
    }
    const peers = (await this.#adapter.members(room)).filter((member) => member.id !== peer.id);
    return { ok: true, peers, lapsed, replay: replay.frames, replayFrom: replay.from };
  }

  /** Stores a peer's new info and tells the others `peer-updated`. */
  async update(room: RoomId, peer: PeerInfo): Promise<void> {
    if (await this.#adapter.update(room, peer)) {
      await this.#broadcast(room, { type: 'peer-updated', peer }, peer.id);
    }
  }

  /**
   * Relays signaling data from `from` to `to`, stamping `from`. `data` is the JSON text of a
   * validated `SignalData`, relayed as it is. Resolves false, and relays nothing, unless `to`
   * is another member of `room`. Answers at once when the adapter does.
   */
  signal(room: RoomId, from: PeerId, to: PeerId, data: Buffer): boolean | Promise<boolean> {
    if (to === from) return false;
    return this.#adapter.deliver(room, to, encodeSignal(from, data));
  }

  /** Room and peer counts, from the adapter. */
  stats(): Promise<AdapterStats> {
    return this.#adapter.stats();
  }

  /** Number of peers in a room connected to this process. */
  get localPeers(): number {
    return this.#sinks.size;
  }

  /** Closes the adapter. */
  async close(): Promise<void> {
    for (const away of this.#away.values()) clearTimeout(away.timer);
    this.#away.clear();
    this.#logs.clear();
    this.#sinks.clear();
    this.#onSuperseded.clear();
    await this.#adapter.close();
  }

  #broadcast(room: RoomId, frame: ServerFrame, exceptPeerId?: PeerId): Promise<void> {
    return this.#adapter.broadcast(room, encodeFrame(frame), exceptPeerId);
  }

  /** Hands a frame to a local peer's sink, or holds it for an away one; both are logged for replay. */
  #deliverLocal(peerId: PeerId, frame: EncodedFrame): void {
    const sink = this.#sinks.get(peerId);
    if (sink === undefined && !this.#away.has(peerId)) return;
    this.#log(peerId).record(frame);
    sink?.(frame);
  }

  /** A peer's replay log, made at its first frame (a peer that never gets one costs nothing). */

  #log(peerId: PeerId): ReplayLog {
    let log = this.#logs.get(peerId);
    if (log === undefined) {
      log = new ReplayLog(this.#replayLimit);
      this.#logs.set(peerId, log);
    }
    return log;
  }

  #forget(peerId: PeerId): void {
    this.#sinks.delete(peerId);
    this.#logs.delete(peerId);
    this.#onSuperseded.delete(peerId);
    const away = this.#away.get(peerId);
    if (away !== undefined) clearTimeout(away.timer);
    this.#away.delete(peerId);
  }

  #rememberLapsed(peerId: PeerId): void {
    const now = Date.now();
    for (const [id, until] of this.#lapsed) if (until <= now) this.#lapsed.delete(id);
    this.#lapsed.set(peerId, now + LAPSED_MEMORY_MS);
  }

  #isLapsed(peerId: PeerId): boolean {
    return (this.#lapsed.get(peerId) ?? 0) > Date.now();
  }
}
