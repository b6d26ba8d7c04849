import { hostname } from 'node:os';
import type { RoomAdapter, RoomBackendStatus } from '@ponte/server';
import { RedisLink, type RedisLinkOptions } from './RedisLink.js';
import { RedisPasswordFailures } from './RedisPasswordFailures.js';
import { RedisPeerBus } from './RedisPeerBus.js';
import { RedisRoomStore } from './RedisRoomStore.js';
import { RedisSessionStore } from './RedisSessionStore.js';

/** Options of {@link connectRedisRooms}. */
export interface RedisRoomsOptions extends RedisLinkOptions {
  /** This process's id among those sharing the rooms; unique per live process. Default `<hostname>-<pid>`. */
  nodeId?: string;
  /** The server's reconnect grace, in ms: how long the peers of a process that died may take to resume elsewhere. */
  reconnectGraceMs: number;
  /** Frames kept per replay log. Default 128. */
  replayLimit?: number;
  /** How long a lapsed id is remembered, in ms. Default 10 minutes. */
  lapsedMemoryMs?: number;
  /** How long this process's lease lasts unless renewed, in ms (renewed every third of it). Default 5000. */
  leaseMs?: number;
  /** The clock, ms since 1970 (every process must agree on it). Default `Date.now`. */
  now?: () => number;
}

/**
 * Rooms over Redis: the three room seams on one {@link RedisLink}, and this process's lease.
 * The lease (a key with a TTL, renewed every third of `leaseMs`) is how the other processes
 * know this one is alive; once it lapses they turn the sessions it spoke for into grace holds
 * (see `SessionStore.sweep`). When a renewal finds the lease gone (Redis restarted, or this
 * process was taken for dead) the restore handler puts this process's peers back.
 */
export class RedisRoomAdapter implements RoomAdapter {
  readonly store: RedisRoomStore;
  readonly bus: RedisPeerBus;
  readonly sessions: RedisSessionStore;
  readonly passwordFailures: RedisPasswordFailures;
  readonly nodeId: string;
  readonly #link: RedisLink;
  readonly #leaseMs: number;
  #restore: () => Promise<void> = () => Promise.resolve();
  #renewal: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  #closed = false;

  private constructor(link: RedisLink, options: RedisRoomsOptions) {
    this.#link = link;
    this.nodeId = options.nodeId ?? `${hostname()}-${process.pid}`;
    this.#leaseMs = options.leaseMs ?? 5000;
    const replayLimit = options.replayLimit ?? 128;
    this.store = new RedisRoomStore(link);
    this.bus = new RedisPeerBus(link, this.nodeId, replayLimit);
    this.passwordFailures = new RedisPasswordFailures(link);
    this.sessions = new RedisSessionStore(link, this.nodeId, {
      replayLimit,
      lapsedMemoryMs: options.lapsedMemoryMs ?? 10 * 60_000,
      reconnectGraceMs: options.reconnectGraceMs,
      now: options.now ?? Date.now,
    });
  }

  /** Connects, subscribes and takes the lease; rejects with a clear message when Redis cannot be reached. */
  static async connect(options: RedisRoomsOptions): Promise<RedisRoomAdapter> {
    const link = await RedisLink.connect(options);
    const adapter = new RedisRoomAdapter(link, options);
    try {
      await adapter.bus.start();
      await adapter.#renew();
    } catch (error) {
      link.close();
      throw error;
    }
    adapter.#renewal = setInterval(() => void adapter.#renewSoon(), Math.max(50, Math.floor(adapter.#leaseMs / 3)));
    adapter.#renewal.unref();
    // Back from an outage: renew at once (which restores what Redis lost) rather than at the next tick.
    link.commands.on('ready', () => void adapter.#renewSoon());
    return adapter;
  }

  /** @inheritDoc */
  status(): RoomBackendStatus {
    return { kind: 'redis', node: this.nodeId, connected: this.#link.connected };
  }

  /** @inheritDoc */
  setRestoreHandler(handler: () => Promise<void>): void {
    this.#restore = handler;
  }

  /** Renews the lease unless a renewal is under way; errors wait for the next tick. */
  #renewSoon(): Promise<void> {
    this.#renewing ??= this.#renew()
      .catch(() => {})
      .finally(() => {
        this.#renewing = undefined;
      });
    return this.#renewing;
  }

  async #renew(): Promise<void> {
    if (this.#closed) return;
    const lapsed = (await this.#link.run('ponteRenew', this.nodeId, this.#leaseMs)) === 1;
    if (lapsed) await this.#restore();
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#renewal);
    await this.bus.close();
    await this.#renewing;
    this.#link.close();
  }
}

/** Connects this process's rooms to Redis (see {@link RedisRoomAdapter}). */
export function connectRedisRooms(options: RedisRoomsOptions): Promise<RedisRoomAdapter> {
  return RedisRoomAdapter.connect(options);
}
