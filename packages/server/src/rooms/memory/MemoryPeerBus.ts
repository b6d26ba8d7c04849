import type { PeerId, RoomId } from '@ponte/protocol';
import type { EncodedFrame } from '../EncodedFrame.js';
import type { DeliveryHandler, PeerBus } from '../PeerBus.js';
import type { MemoryRoomStore } from './MemoryRoomStore.js';

const DROP: DeliveryHandler = () => {};

/**
 * The embedded {@link PeerBus}: delivery is a direct call to the handler of the process that
 * registered the peer. Several buses made with the same network (see the constructor) stand
 * for several server processes in one, which is how tests run two "processes" without Redis.
 */
export class MemoryPeerBus implements PeerBus {
  readonly #store: MemoryRoomStore;
  /** Which bus (process) each registered peer's frames go to; shared by a network's buses. */
  readonly #directory: Map<PeerId, MemoryPeerBus>;
  #deliver: DeliveryHandler = DROP;

  /**
   * @param store - Where membership is read (synchronously, so `deliver` answers at once).
   * @param network - Another bus whose network this one joins: a second process over the
   *   same rooms. Default: a network of its own.
   */
  constructor(store: MemoryRoomStore, network?: MemoryPeerBus) {
    this.#store = store;
    this.#directory = network === undefined ? new Map<string, MemoryPeerBus>() : network.#directory;
  }

  /** @inheritDoc */
  setDeliveryHandler(handler: DeliveryHandler): void {
    this.#deliver = handler;
  }

  /** @inheritDoc */
  async register(peerId: PeerId): Promise<void> {
    this.#directory.set(peerId, this);
  }

  /** @inheritDoc */
  async unregister(peerId: PeerId): Promise<void> {
    if (this.#directory.get(peerId) === this) this.#directory.delete(peerId);
  }

  /** @inheritDoc */
  deliver(room: RoomId, peerId: PeerId, frame: EncodedFrame): boolean {
    if (!this.#store.isMember(room, peerId)) return false;
    this.#send(peerId, frame);
    return true;
  }

  /** @inheritDoc */
  async broadcast(room: RoomId, frame: EncodedFrame, exceptPeerId?: PeerId): Promise<void> {
    for (const peerId of this.#store.memberIds(room)) {
      if (peerId !== exceptPeerId) this.#send(peerId, frame);
    }
  }

  /** Hands a frame to the handler of the bus the peer is registered with, if any. */
  #send(peerId: PeerId, frame: EncodedFrame): void {
    const bus = this.#directory.get(peerId);
    if (bus !== undefined) bus.#deliver(peerId, frame);
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    for (const [peerId, bus] of this.#directory) if (bus === this) this.#directory.delete(peerId);
    this.#deliver = DROP;
  }
}
