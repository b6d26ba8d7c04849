import type { PasswordFailures } from '../admission/PasswordFailures.js';
import type { PeerBus } from './PeerBus.js';
import type { RoomStore } from './RoomStore.js';
import type { SessionStore } from './SessionStore.js';

/** Where a server's rooms live, and whether this process can reach them now. */
export interface RoomBackendStatus {
  /** `memory` (this process alone) or the name of the shared store (`redis`). */
  kind: string;
  /** This process's id among the processes that share the rooms. */
  node: string;
  /** False while the shared store cannot be reached: joins and resumes are refused meanwhile. */
  connected: boolean;
}

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
  /** Wrong room passwords, counted for every process that shares the rooms. Default: this process's memory. */
  readonly passwordFailures?: PasswordFailures;
  /** Where the rooms live and whether they can be reached now. */
  status(): RoomBackendStatus;
  /**
   * Sets what a shared store calls when it may have lost what this process put in it (the
   * store restarted empty, or declared this process dead when its lease lapsed): the
   * registry puts its peers, their rooms and holds back. Stores that cannot lose it omit this.
   */
  setRestoreHandler?(handler: () => Promise<void>): void;
  /** Closes the three; no method of theirs may be called afterwards. */
  close(): Promise<void>;
}
