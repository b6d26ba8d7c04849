import { randomBytes } from 'node:crypto';
import type {
  LeaveReason,
  MediaState,
  PeerId,
  PeerInfo,
  RoomId,
  SignalData,
} from '@ponte/protocol';
import type { AdapterStats, EncodedFrame, RoomAdapter } from './RoomAdapter.js';

/** Where the registry hands frames for one locally connected peer. Must not throw. */
export type PeerSink = (frame: EncodedFrame) => void;

/** The outcome of {@link RoomRegistry.join}. */
export type RegistryJoinResult =
  | { ok: true; /** the joiner, with its minted id */ self: PeerInfo; /** the others */ peers: PeerInfo[] }
  | { ok: false; reason: 'full' };

/** Options of a {@link RoomRegistry}. */
export interface RoomRegistryOptions {
  /** Holds membership and delivers frames. */
  adapter: RoomAdapter;
  /** The most peers one room admits. */
  maxPeersPerRoom: number;
  /** Mints a peer id. Default: 12 random bytes as base64url (16 characters). */
  mintPeerId?: () => PeerId;
}

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

  /** Creates a registry and registers it as the adapter's delivery handler. */
  constructor(options: RoomRegistryOptions) {
    this.#adapter = options.adapter;
    this.#maxPeers = options.maxPeersPerRoom;
    this.#mintPeerId = options.mintPeerId ?? mintPeerId;
    this.#adapter.setDeliveryHandler((peerId, frame) => this.#sinks.get(peerId)?.(frame));
  }

  /** The most peers one room admits. */
  get maxPeersPerRoom(): number {
    return this.#maxPeers;
  }

  /**
   * Adds a new peer to `room`. On success the others have already been sent `peer-joined`
   * when this resolves, and `sink` receives every later frame addressed to the peer.
   */
  async join(room: RoomId, name: string, state: MediaState, sink: PeerSink): Promise<RegistryJoinResult> {
    const self: PeerInfo = { id: this.#mintPeerId(), name, state };
    // Registered before the adapter admits the peer so that nothing addressed to it is lost.
    this.#sinks.set(self.id, sink);
    let result;
    try {
      result = await this.#adapter.join(room, self, this.#maxPeers);
    } catch (error) {
      this.#sinks.delete(self.id);
      throw error;
    }
    if (!result.ok) {
      this.#sinks.delete(self.id);
      return result;
    }
    await this.#adapter.broadcast(room, { type: 'peer-joined', peer: self }, self.id);
    return { ok: true, self, peers: result.peers };
  }

  /** Removes a peer from its room and tells the others `peer-left` with `reason`. */
  async leave(room: RoomId, peerId: PeerId, reason: LeaveReason): Promise<void> {
    this.#sinks.delete(peerId);
    const wasMember = await this.#adapter.leave(room, peerId);
    if (wasMember) await this.#adapter.broadcast(room, { type: 'peer-left', peer: peerId, reason });
  }

  /** Stores a peer's new info and tells the others `peer-updated`. */
  async update(room: RoomId, peer: PeerInfo): Promise<void> {
    if (await this.#adapter.update(room, peer)) {
      await this.#adapter.broadcast(room, { type: 'peer-updated', peer }, peer.id);
    }
  }

  /**
   * Relays signaling data from `from` to `to`, stamping `from`. Resolves false, and relays
   * nothing, unless `to` is another member of `room`.
   */
  async signal(room: RoomId, from: PeerId, to: PeerId, data: SignalData): Promise<boolean> {
    if (to === from) return false;
    return this.#adapter.deliver(room, to, { type: 'signal', from, data });
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
    this.#sinks.clear();
    await this.#adapter.close();
  }
}
