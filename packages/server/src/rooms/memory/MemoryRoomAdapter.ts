import type { PeerBus } from '../PeerBus.js';
import type { RoomAdapter, RoomBackendStatus } from '../RoomAdapter.js';
import { MemoryPeerBus } from './MemoryPeerBus.js';
import { MemoryRoomStore } from './MemoryRoomStore.js';
import { MemorySessionStore, type MemorySessionStoreOptions } from './MemorySessionStore.js';

/** Options of a {@link MemoryRoomAdapter}; each seam defaults to a new in-memory one. */
export interface MemoryRoomAdapterOptions {
  /** The rooms. */
  store?: MemoryRoomStore;
  /** The bus; made over `store` when absent. */
  bus?: PeerBus;
  /** The sessions; made with `sessionOptions` when absent. */
  sessions?: MemorySessionStore;
  /** Options of the session store made when `sessions` is absent. */
  sessionOptions?: MemorySessionStoreOptions;
  /** This process's id, as `status()` reports it. Default `local`. */
  nodeId?: string;
}

/**
 * The embedded rooms: a {@link MemoryRoomStore}, a {@link MemoryPeerBus} over it and a
 * {@link MemorySessionStore}, all in this process's memory.
 */
export class MemoryRoomAdapter implements RoomAdapter {
  readonly store: MemoryRoomStore;
  readonly bus: PeerBus;
  readonly sessions: MemorySessionStore;
  readonly #nodeId: string;

  constructor(options: MemoryRoomAdapterOptions = {}) {
    this.#nodeId = options.nodeId ?? 'local';
    this.store = options.store ?? new MemoryRoomStore();
    this.bus = options.bus ?? new MemoryPeerBus(this.store);
    this.sessions = options.sessions ?? new MemorySessionStore(options.sessionOptions);
  }

  /**
   * The rooms of another server process sharing this one's store, sessions and bus network:
   * how tests stand for several processes without Redis. Needs this adapter's own bus to be a
   * {@link MemoryPeerBus}.
   */
  anotherProcess(): MemoryRoomAdapter {
    if (!(this.bus instanceof MemoryPeerBus)) throw new TypeError('anotherProcess needs a MemoryPeerBus');
    return new MemoryRoomAdapter({
      store: this.store,
      sessions: this.sessions,
      bus: new MemoryPeerBus(this.store, this.bus),
    });
  }

  /** @inheritDoc */
  status(): RoomBackendStatus {
    return { kind: 'memory', node: this.#nodeId, connected: true };
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    await this.bus.close();
    await this.sessions.close();
    await this.store.close();
  }
}
