import type { PeerId, RoomId } from '@ponte/protocol';
import type { EncodedFrame } from '../EncodedFrame.js';
import { ReplayLog } from '../ReplayLog.js';
import type { Attachment, ExpiredHold, GraceHold, Replay, SessionStore } from '../SessionStore.js';

/** Options of a {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** How many of the last frames delivered to each peer are kept to replay after a resume. Default 128. */
  replayLimit?: number;
  /** How long a lapsed peer is remembered, so its resume can be told it lapsed, in ms. Default 10 minutes. */
  lapsedMemoryMs?: number;
  /** The clock, in ms since 1970. Default `Date.now`. */
  now?: () => number;
}

/** One peer's session: the room, the epoch that speaks for it, its hold and its replay log. */
interface Session {
  room: RoomId;
  epoch: number;
  hold: GraceHold | undefined;
  /** Made at the first frame (a peer that never gets one costs nothing). */
  log: ReplayLog | undefined;
}

/**
 * The embedded {@link SessionStore}, in this process's memory. Shared by several registries,
 * it stands for one store shared by several processes.
 */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<PeerId, Session>();
  /** Lapsed ids and until when they are remembered. */
  readonly #lapsed = new Map<PeerId, number>();
  /** The peers that have (or had, until a sweep notices) a hold: what {@link sweep} looks at. */
  readonly #held = new Set<PeerId>();
  /** The last epoch given out: one counter for all peers, so no epoch ever repeats. */
  #epoch = 0;
  readonly #replayLimit: number;
  readonly #lapsedMemoryMs: number;
  readonly #now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#replayLimit = options.replayLimit ?? 128;
    this.#lapsedMemoryMs = options.lapsedMemoryMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** @inheritDoc */
  async attach(peerId: PeerId, room: RoomId): Promise<Attachment> {
    const epoch = ++this.#epoch;
    const lapsed = (this.#lapsed.get(peerId) ?? 0) > this.#now();
    this.#lapsed.delete(peerId);
    const session = this.#sessions.get(peerId);
    if (session !== undefined && session.room === room) {
      const resumes = session.hold === undefined ? 'attached' : 'held';
      session.epoch = epoch;
      session.hold = undefined;
      return { epoch, resumes, lapsed };
    }
    this.#sessions.set(peerId, { room, epoch, hold: undefined, log: undefined });
    return { epoch, resumes: 'none', lapsed };
  }

  /** @inheritDoc */
  async hold(peerId: PeerId, hold: GraceHold): Promise<boolean> {
    const session = this.#sessions.get(peerId);
    if (session?.epoch !== hold.epoch || session.room !== hold.room) return false;
    session.hold = { ...hold };
    this.#held.add(peerId);
    return true;
  }

  /** @inheritDoc */
  async held(peerId: PeerId): Promise<GraceHold | undefined> {
    const hold = this.#sessions.get(peerId)?.hold;
    return hold === undefined ? undefined : { ...hold };
  }

  /** @inheritDoc */
  async expire(peerId: PeerId, epoch: number): Promise<boolean> {
    if (this.#sessions.get(peerId)?.hold?.epoch !== epoch) return false;
    this.#end(peerId, true);
    return true;
  }

  /** @inheritDoc */
  async release(peerId: PeerId, epoch: number | undefined, lapsed: boolean): Promise<boolean> {
    const session = this.#sessions.get(peerId);
    if (epoch !== undefined && session?.epoch !== epoch) return false;
    this.#end(peerId, lapsed);
    return session !== undefined;
  }

  /** @inheritDoc */
  record(peerId: PeerId, frame: EncodedFrame): void {
    const session = this.#sessions.get(peerId);
    if (session === undefined) return;
    session.log ??= new ReplayLog(this.#replayLimit);
    session.log.record(frame);
  }

  /** @inheritDoc */
  async since(peerId: PeerId, received: number): Promise<Replay> {
    return this.#sessions.get(peerId)?.log?.since(received) ?? { from: 0, frames: [] };
  }

  /** @inheritDoc */
  async sweep(): Promise<ExpiredHold[]> {
    const now = this.#now();
    const ended: ExpiredHold[] = [];
    for (const peerId of this.#held) {
      const session = this.#sessions.get(peerId);
      if (session?.hold === undefined) {
        this.#held.delete(peerId);
      } else if (session.hold.deadline <= now) {
        this.#end(peerId, true);
        ended.push({ peerId, room: session.room });
      }
    }
    return ended;
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    this.#held.clear();
    this.#sessions.clear();
    this.#lapsed.clear();
  }

  #end(peerId: PeerId, lapsed: boolean): void {
    this.#sessions.delete(peerId);
    this.#held.delete(peerId);
    if (!lapsed) return;
    const now = this.#now();
    for (const [id, until] of this.#lapsed) if (until <= now) this.#lapsed.delete(id);
    this.#lapsed.set(peerId, now + this.#lapsedMemoryMs);
  }
}
