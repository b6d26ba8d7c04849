import type { PeerId, PeerInfo, RoomId } from '@ponte/protocol';
import type { RoomJoinConditions, RoomJoinResult, RoomRecord, RoomStats, RoomStore } from '../RoomStore.js';

/**
 * The embedded {@link RoomStore}: rooms live in this process's memory. Being single-threaded,
 * each method is atomic by construction (it does not await before it has decided).
 */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<RoomId, Map<PeerId, PeerInfo>>();
  /** The record of each room in {@link #rooms}; created and deleted with it. */
  readonly #records = new Map<RoomId, RoomRecord>();
  #peerCount = 0;

  /** @inheritDoc */
  async join(room: RoomId, peer: PeerInfo, maxPeersPerRoom: number, conditions: RoomJoinConditions = {}): Promise<RoomJoinResult> {
    let members = this.#rooms.get(room);
    if (conditions.expectPasswordHash !== undefined && (this.#records.get(room)?.passwordHash ?? null) !== conditions.expectPasswordHash) {
      return { ok: false, reason: 'changed' };
    }
    if (members !== undefined && members.size >= maxPeersPerRoom) return { ok: false, reason: 'full' };
    if (conditions.maxPeersPerServer !== undefined && this.#peerCount >= conditions.maxPeersPerServer) {
      return { ok: false, reason: 'peers' };
    }
    if (members === undefined) {
      if (conditions.maxRooms !== undefined && this.#rooms.size >= conditions.maxRooms) return { ok: false, reason: 'rooms' };
      members = new Map();
      this.#rooms.set(room, members);
      this.#records.set(room, { ...conditions.create });
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

  /** Whether `peerId` is a member of `room`, answered at once (for the in-memory bus). */
  isMember(room: RoomId, peerId: PeerId): boolean {
    return this.#rooms.get(room)?.has(peerId) === true;
  }

  /** The ids of the members of `room`, answered at once (for the in-memory bus). */
  memberIds(room: RoomId): Iterable<PeerId> {
    return this.#rooms.get(room)?.keys() ?? [];
  }

  /** @inheritDoc */
  async stats(): Promise<RoomStats> {
    return { rooms: this.#rooms.size, peers: this.#peerCount };
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    this.#rooms.clear();
    this.#records.clear();
    this.#peerCount = 0;
  }
}
