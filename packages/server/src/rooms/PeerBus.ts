import type { PeerId, RoomId } from '@ponte/protocol';
import type { EncodedFrame } from './EncodedFrame.js';

/**
 * Receives the frames a {@link PeerBus} delivers to the peers this process registered.
 * Must not throw; a frame for a peer the process no longer knows is its to drop.
 *
 * `logged` is the frame's index in the peer's replay log when the bus appended it there
 * itself, before delivering it (a shared bus does, so a frame is logged even if the process
 * that receives it dies before passing it on); undefined when the receiver is to record it
 * (`SessionStore.record`).
 */
export type DeliveryHandler = (peerId: PeerId, frame: EncodedFrame, logged?: number) => void;

/**
 * Told that a connection of epoch `epoch` attached for `peerId` on another process while this
 * one still had a connection speaking for it: the older one here is superseded. Must not throw.
 */
export type SupersedeHandler = (peerId: PeerId, epoch: number) => void;

/**
 * Delivery of encoded frames to peers wherever their sockets are.
 *
 * Each server process has its own bus endpoint, registers the peers it speaks for (whose
 * socket is connected to it, or whose grace hold it keeps) and receives their frames through
 * its {@link DeliveryHandler}. Delivery is addressed by room: a frame reaches a peer only if
 * the peer is a member of that room in the `RoomStore` the bus is paired with, which is what
 * keeps a peer from reaching peers of other rooms.
 *
 * Frames one process sends to another (to any of its peers) arrive in the order they were
 * sent, so frames from one sender to one peer do too. `deliver`, the per-signal call, may
 * answer at once (the in-memory bus does), which spares the relay a microtask; callers must
 * accept either.
 */
export interface PeerBus {
  /** Registers the handler that receives this process's frames. Called once, before anything else. */
  setDeliveryHandler(handler: DeliveryHandler): void;
  /**
   * Registers the handler told when a peer's connection here is superseded by one on another
   * process (see {@link SupersedeHandler}). A bus whose processes all share one memory omits
   * it: the registry sees such a resume itself.
   */
  setSupersedeHandler?(handler: SupersedeHandler): void;
  /**
   * From now on the frames for `peerId` come to this process, wherever they came before
   * (a peer resuming here moves away from the process that had it). Resolves once it holds.
   */
  register(peerId: PeerId): Promise<void>;
  /**
   * Stops delivering `peerId`'s frames here, if this process is still the one registered for
   * it; a registration another process has made since stays.
   */
  unregister(peerId: PeerId): Promise<void>;
  /**
   * Delivers a frame to `peerId` if it is a member of `room`, to whichever process registered
   * it (to none when no process has: the frame is dropped). Resolves false, and delivers
   * nothing, if `peerId` is not a member of `room`.
   */
  deliver(room: RoomId, peerId: PeerId, frame: EncodedFrame): boolean | Promise<boolean>;
  /** Delivers the same frame to every member of `room` except `exceptPeerId`. */
  broadcast(room: RoomId, frame: EncodedFrame, exceptPeerId?: PeerId): Promise<void>;
  /** Stops delivering to this process and drops its registrations; idempotent. */
  close(): Promise<void>;
}
