import type { PeerId, PeerInfo, RoomId } from '@ponte/protocol';
import type {
  AdapterJoinOptions,
  AdapterJoinResult,
  AdapterStats,
  DeliveryHandler,
  EncodedFrame,
  RoomAdapter,
  RoomRecord,
} from '../RoomAdapter.js';

/**
 * The embedded {@link RoomAdapter}: rooms live in this process's memory and every peer is
 * connected to this process, so delivery is a direct call to the registered handler.
 */
export class MemoryRoomAdapter implements RoomAdapter {
  readonly #rooms = new Map<RoomId, Map<PeerId, PeerInfo>>();
  /** The record of each room in {@link #rooms}; created and deleted with it. */
  readonly #records = new Map<RoomId, RoomRecord>();
  #peerCount = 0;
  #deliver: DeliveryHandler = () => {};

  /** @inheritDoc */
  setDeliveryHandler(handler: DeliveryHandler): void {
    this.#deliver = handler;
  }

  /** @inheritDoc */
  async join(room: RoomId, peer: PeerInfo, maxPeers: number, options: AdapterJoinOptions = {}): Promise<AdapterJoinResult> {
    let members = this.#rooms.get(room);
    if (
      options.expectPasswordHash !== undefined &&
      (this.#records.get(room)?.passwordHash ?? null) !== options.expectPasswordHash
    ) {
      return { ok: false, reason: 'changed' };
    }
    if (members !== undefined && members.size >= maxPeers) return { ok: false, reason: 'full' };
    if (options.maxPeers !== undefined && this.#peerCount >= options.maxPeers) return { ok: false, reason: 'peers' };
    if (members === undefined) {
      if (options.maxRooms !== undefined && this.#rooms.size >= options.maxRooms) return { ok: false, reason: 'rooms' };
      members = new Map();
      this.#rooms.set(room, members);
      this.#records.set(room, { ...options.create });
    }
    const peers = [...members.values()];
    if (!members.has(peer.id)) this.#peerCount += 1;
    members.set(peer.id, peer);
    return { ok: true, peers };
  }

  /** @inheritDoc */
  async leave(room: RoomId, peerId: PeerId): Promise<boolean> {
    const members = this.#rooms.get(room);
    if (members === undefined || !members.delete(peerId)) return false;
    this.#peerCount -= 1;
    if (members.size === 0) {
      this.#rooms.delete(room);
      this.#records.delete(room);
    }
    return true;
  }

  /** @inheritDoc */
  async room(room: RoomId): Promise<RoomRecord | undefined> {
    const record = this.#records.get(room);
    return record === undefined ? undefined : { ...record };
  }

  /** @inheritDoc */
  async update(room: RoomId, peer: PeerInfo): Promise<boolean> {
    const members = this.#rooms.get(room);
    if (members === undefined || !members.has(peer.id)) return false;
    members.set(peer.id, peer);
    return true;
  }

  /** @inheritDoc */
  async members(room: RoomId): Promise<PeerInfo[]> {
    return [...(this.#rooms.get(room)?.values() ?? [])];
  }

  /** @inheritDoc */
  deliver(room: RoomId, peerId: PeerId, frame: EncodedFrame): boolean {
    if (this.#rooms.get(room)?.has(peerId) !== true) return false;
    this.#deliver(peerId, frame);
    return true;
  }

  /** @inheritDoc */
  async broadcast(room: RoomId, frame: EncodedFrame, exceptPeerId?: PeerId): Promise<void> {
    for (const peerId of this.#rooms.get(room)?.keys() ?? []) {
      if (peerId !== exceptPeerId) this.#deliver(peerId, frame);
    }
  }

  /** @inheritDoc */
  async stats(): Promise<AdapterStats> {
    return { rooms: this.#rooms.size, peers: this.#peerCount };
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    this.#rooms.clear();
    this.#records.clear();
    this.#peerCount = 0;
    this.#deliver = () => {};
  }
}
