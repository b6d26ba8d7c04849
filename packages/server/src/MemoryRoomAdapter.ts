import type { PeerId, PeerInfo, RoomId, ServerFrame } from '@ponte/protocol';
import {
  encodeFrame,
  type AdapterJoinResult,
  type AdapterStats,
  type DeliveryHandler,
  type RoomAdapter,
} from './RoomAdapter.js';

/**
 * The embedded {@link RoomAdapter}: rooms live in this process's memory and every peer is
 * connected to this process, so delivery is a direct call to the registered handler.
 */
export class MemoryRoomAdapter implements RoomAdapter {
  readonly #rooms = new Map<RoomId, Map<PeerId, PeerInfo>>();
  #peerCount = 0;
  #deliver: DeliveryHandler = () => {};

  /** @inheritDoc */
  setDeliveryHandler(handler: DeliveryHandler): void {
    this.#deliver = handler;
  }

  /** @inheritDoc */
  async join(room: RoomId, peer: PeerInfo, maxPeers: number): Promise<AdapterJoinResult> {
    let members = this.#rooms.get(room);
    if (members !== undefined && members.size >= maxPeers) return { ok: false, reason: 'full' };
    if (members === undefined) {
      members = new Map();
      this.#rooms.set(room, members);
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
    if (members.size === 0) this.#rooms.delete(room);
    return true;
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
  async deliver(room: RoomId, peerId: PeerId, frame: ServerFrame): Promise<boolean> {
    if (this.#rooms.get(room)?.has(peerId) !== true) return false;
    this.#deliver(peerId, encodeFrame(frame));
    return true;
  }

  /** @inheritDoc */
  async broadcast(room: RoomId, frame: ServerFrame, exceptPeerId?: PeerId): Promise<void> {
    const members = this.#rooms.get(room);
    if (members === undefined) return;
    let encoded: Buffer | undefined;
    for (const peerId of members.keys()) {
      if (peerId === exceptPeerId) continue;
      encoded ??= encodeFrame(frame);
      this.#deliver(peerId, encoded);
    }
  }

  /** @inheritDoc */
  async stats(): Promise<AdapterStats> {
    return { rooms: this.#rooms.size, peers: this.#peerCount };
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    this.#rooms.clear();
    this.#peerCount = 0;
    this.#deliver = () => {};
  }
}
