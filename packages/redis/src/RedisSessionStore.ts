import type { PeerId, RoomId } from '@ponte/protocol';
import type { Attachment, EncodedFrame, ExpiredHold, GraceHold, Replay, SessionStore } from '@ponte/server';
import type { RedisLink } from './RedisLink.js';
import { readLogEntry, writeLogEntry } from './logEntry.js';

/** Options of a {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** Frames kept per replay log. */
  replayLimit: number;
  /** How long a lapsed id is remembered, in ms. */
  lapsedMemoryMs: number;
  /** The grace a peer of a dead process gets to resume elsewhere, in ms (see {@link RedisSessionStore.sweep}). */
  reconnectGraceMs: number;
  /** The clock, ms since 1970; every process must read the same time. */
  now: () => number;
  /** Most holds one sweep ends. Default 1000. */
  sweepBatch?: number;
}

/**
 * The {@link SessionStore} over Redis: each peer's session in a hash (room, epoch, the node
 * that speaks for it, the hold while it is away, the number of frames logged), its replay log
 * in a capped list, every hold in one sorted set by deadline. Each method is one script, so
 * the epoch rule holds across processes.
 */
export class RedisSessionStore implements SessionStore {
  readonly #link: RedisLink;
  readonly #node: string;
  readonly #options: Required<RedisSessionStoreOptions>;

  constructor(link: RedisLink, node: string, options: RedisSessionStoreOptions) {
    this.#link = link;
    this.#node = node;
    this.#options = { sweepBatch: 1000, ...options };
  }

  /** @inheritDoc */
  async attach(peerId: PeerId, room: RoomId): Promise<Attachment> {
    const [epoch, resumes, lapsed] = (await this.#link.run('ponteAttach', peerId, room, this.#node, this.#options.now())) as [
      number,
      Attachment['resumes'],
      number,
    ];
    return { epoch, resumes, lapsed: lapsed === 1 };
  }

  /** @inheritDoc */
  async hold(peerId: PeerId, hold: GraceHold): Promise<boolean> {
    return (await this.#link.run('ponteHold', peerId, hold.room, hold.epoch, hold.deadline)) === 1;
  }

  /** @inheritDoc */
  async held(peerId: PeerId): Promise<GraceHold | undefined> {
    const [room, epoch, deadline] = await this.#link.commands.hmget(this.#link.keys.session(peerId), 'room', 'hold', 'deadline');
    if (room == null || epoch == null || deadline == null) return undefined;
    return { room, epoch: Number(epoch), deadline: Number(deadline) };
  }

  /** @inheritDoc */
  async expire(peerId: PeerId, epoch: number): Promise<boolean> {
    return (await this.#link.run('ponteExpire', peerId, epoch, this.#options.now(), this.#options.lapsedMemoryMs)) === 1;
  }

  /** @inheritDoc */
  async release(peerId: PeerId, epoch: number | undefined, lapsed: boolean): Promise<boolean> {
    const { now, lapsedMemoryMs } = this.#options;
    return (await this.#link.run('ponteRelease', peerId, epoch ?? '', lapsed ? '1' : '0', now(), lapsedMemoryMs)) === 1;
  }

  /** @inheritDoc */
  record(peerId: PeerId, frame: EncodedFrame): void {
    const entry = writeLogEntry(frame);
    // Queued on the command connection, so a later `since` of this store sees it. A frame that
    // cannot be logged while Redis is away is lost to a replay, not to the peer's socket.
    this.#link.run('ponteRecord', peerId, entry, this.#options.replayLimit).catch(() => {});
  }

  /** @inheritDoc */
  async since(peerId: PeerId, received: number): Promise<Replay> {
    const { commands, keys } = this.#link;
    const [count, entries] = await Promise.all([commands.hget(keys.session(peerId), 'n'), commands.lrangeBuffer(keys.log(peerId), 0, -1)]);
    const next = Number(count ?? 0);
    const first = next - entries.length;
    const from = Math.min(Math.max(received, first), next);
    const frames = entries.slice(from - first).flatMap((entry) => readLogEntry(entry) ?? []);
    return { from, frames };
  }

  /** @inheritDoc */
  async sweep(): Promise<ExpiredHold[]> {
    const { now, reconnectGraceMs, lapsedMemoryMs, sweepBatch } = this.#options;
    const ended = (await this.#link.run('ponteSweep', now(), reconnectGraceMs, lapsedMemoryMs, sweepBatch)) as string[];
    const holds: ExpiredHold[] = [];
    for (let i = 0; i + 1 < ended.length; i += 2) holds.push({ peerId: ended[i]!, room: ended[i + 1]! });
    return holds;
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    // The connections belong to the adapter, which closes them.
  }
}
