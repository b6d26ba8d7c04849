import type { PeerBus } from './PeerBus.js';
import type { RoomStore } from './RoomStore.js';
import type { SessionStore } from './SessionStore.js';

// Kept here for the modules that import the frame type from this path (transport/).

/**
 * What a server's rooms run on: the three room seams, which one backend provides together
 * (the in-memory default, or one over Redis that spreads rooms across processes). One object
 * may implement several of them. The registry turns room commands into calls on these.
 */
export interface RoomAdapter {
  /** Membership and room facts. */
  readonly store: RoomStore;
  /** Delivery of frames to peers wherever their sockets are. */
  readonly bus: PeerBus;
  /** Grace holds, replay logs and lapsed ids, under the epoch rule. */
  readonly sessions: SessionStore;
  /** Closes the three; no method of theirs may be called afterwards. */
  close(): Promise<void>;
}
