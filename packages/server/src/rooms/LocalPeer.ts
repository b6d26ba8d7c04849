import type { LeaveReason, PeerId, PeerInfo, RoomId } from '@ponte/protocol';
import type { EncodedFrame } from './EncodedFrame.js';
import type { PeerSink } from './roomRequests.js';
import type { RoomRecord } from './RoomStore.js';

// What a RoomRegistry keeps about the peers its process speaks for.

/** A peer this process speaks for: through a connection's sink, or by holding it for a resume. */
export interface LocalPeer {
  /** The room it is in, and itself as the room knows it (what a restore puts back). */
  room: RoomId;
  info: PeerInfo;
  /** The room's record as this peer's admission knew it, for a restore that recreates the room. */
  record: RoomRecord;
  /** When its grace hold ends, while held. */
  deadline: number | undefined;
  /** While held: whether the SessionStore has the hold (it may have been unreachable). */
  holdStored: boolean;
  /** The log index the next frame the bus logged must have; lower ones were replayed already. */
  next: number;
  /** While a resume takes its replay: the frames that came meanwhile, passed on after it. */
  pending: Array<{ frame: EncodedFrame; logged: number | undefined }> | undefined;
  /** Receives the peer's frames; undefined while it is held or its replay is being taken (frames are only logged). */
  sink: PeerSink | undefined;
  /** The epoch the SessionStore gave the connection (0 until it has). */
  epoch: number;
  onSuperseded: (() => void) | undefined;
  /** The grace timer, while held. */
  timer: NodeJS.Timeout | undefined;
}

/** A peer being let go (see `RoomRegistry.#letGo`), kept while the store cannot take it. */
export interface Unfinished {
  room: RoomId;
  peerId: PeerId;
  reason: LeaveReason;
  /** The epoch of the connection that let it go; undefined: whatever connection. */
  epoch: number | undefined;
  /** Whether its session has been ended already. */
  released: boolean;
  /** Whether this is a second attempt (the store was unreachable at the first). */
  retry: boolean;
}

/** A local peer as a join or resume starts it. */
export function newLocalPeer(room: RoomId, info: PeerInfo, record: RoomRecord, sink: PeerSink | undefined): LocalPeer {
  return {
    room,
    info,
    record,
    deadline: undefined,
    holdStored: false,
    next: 0,
    pending: undefined,
    sink,
    epoch: 0,
    onSuperseded: undefined,
    timer: undefined,
  };
}
