import type { PeerId, RoomId } from '@ponte/protocol';
import type { EncodedFrame } from './EncodedFrame.js';

/** A peer whose socket broke, kept in its room for a resume until `deadline`. */
export interface GraceHold {
  /** The room the peer is held in. */
  room: RoomId;
  /** The epoch of the connection that broke and made the hold. */
  epoch: number;
  /** When the hold ends unless the peer resumed, in ms since 1970 (the store's clock). */
  deadline: number;
}

/** The outcome of {@link SessionStore.attach}. */
export interface Attachment {
  /** The new connection's epoch: greater than every epoch the peer had before, on any process. */
  epoch: number;
  /**
   * What the connection takes over in the room it attached to: `'held'` a grace hold (which
   * ends), `'attached'` an earlier connection that has not let go (which is superseded), or
   * `'none'`: nothing, so the peer starts afresh, with an empty replay log.
   */
  resumes: 'held' | 'attached' | 'none';
  /** The peer had been let go (see {@link SessionStore.release}); the mark is consumed. */
  lapsed: boolean;
}

/** A hold that {@link SessionStore.sweep} ended: the peer is to be removed from `room`. */
export interface ExpiredHold {
  peerId: PeerId;
  room: RoomId;
}

/** Frames to send again after a resume: `frames[0]` has index `from`. */
export interface Replay {
  /** The index of the first frame. */
  from: number;
  /** The frames, oldest first. */
  frames: EncodedFrame[];
}

/**
 * What outlives one connection of a peer: its session (the room it is in and the epoch of
 * the connection that speaks for it), its grace hold while it is away, the replay log of the
 * frames delivered to it, and, for a while after it was let go, the fact that it lapsed.
 *
 * **The epoch rule.** Every connection that attaches for a peer gets a new epoch, greater
 * than any before. Holding, expiring and releasing name the epoch of the connection they act
 * for and do nothing unless it is still the peer's current one, so a grace timer or a late
 * close on one process never removes a peer that has resumed since, here or on another
 * process. Each of these is one atomic step.
 *
 * The process that made a hold runs its timer and calls {@link expire} with the hold's
 * epoch; every process also calls {@link sweep} now and then, which ends the holds whose
 * deadline passed wherever they were made, so a hold outlives no process that died.
 */
export interface SessionStore {
  /**
   * A connection attaches for `peerId` in `room` (a join, or a resume): gives it a new epoch,
   * ends a grace hold in that room, and tells what the connection takes over. A session in
   * another room, or none, is replaced by a fresh one (and its replay log dropped).
   */
  attach(peerId: PeerId, room: RoomId): Promise<Attachment>;
  /**
   * The connection of epoch `hold.epoch` broke: holds the peer for a resume. Resolves false,
   * and holds nothing, unless that epoch is still the peer's current one.
   */
  hold(peerId: PeerId, hold: GraceHold): Promise<boolean>;
  /** The peer's grace hold, if it is away. */
  held(peerId: PeerId): Promise<GraceHold | undefined>;
  /**
   * The grace of the hold made by epoch `epoch` is over: ends the peer's session and marks it
   * lapsed. Resolves true (the caller then removes it from its room) only if the peer is still
   * held by that epoch; false if it resumed since or was let go otherwise.
   */
  expire(peerId: PeerId, epoch: number): Promise<boolean>;
  /**
   * The connection of epoch `epoch` let the peer go (it left, or closed without a hold): ends
   * its session, hold and replay log, and with `lapsed` marks it lapsed. Resolves false, and
   * changes nothing, if another connection has attached since. With `epoch` undefined the
   * session ends whatever its epoch (and `lapsed` marks the id even without one).
   */
  release(peerId: PeerId, epoch: number | undefined, lapsed: boolean): Promise<boolean>;
  /**
   * Appends a frame delivered to the peer (to its socket, or while it is held) to its replay
   * log, which keeps the last N with their indexes (from 0). Ignored for a peer without a
   * session. Returns nothing and never throws: it is on the relay's path, so a store that
   * writes remotely queues the write, and records must take effect in call order, before any
   * later {@link since} of the same store instance.
   */
  record(peerId: PeerId, frame: EncodedFrame): void;
  /**
   * The logged frames from index `received` on (what a resuming peer has not received): from
   * the oldest still kept if it fell further behind, none if it claims more than was logged.
   * Reflects every {@link record} called before it.
   */
  since(peerId: PeerId, received: number): Promise<Replay>;
  /**
   * Ends every hold whose deadline has passed (as {@link expire} would, the peer marked
   * lapsed), wherever it was made, and returns them for the caller to remove from their rooms;
   * each hold is returned to one caller only. A store shared by several processes first turns
   * the sessions of a process that stopped renewing its lease (it died) into holds, with the
   * reconnect grace from now.
   */
  sweep(): Promise<ExpiredHold[]>;
  /** Releases the store's resources; idempotent. */
  close(): Promise<void>;
}
