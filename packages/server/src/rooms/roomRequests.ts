import type { MediaState, PeerInfo, RoomId } from '@ponte/protocol';
import type { EncodedFrame } from './EncodedFrame.js';
import type { RoomJoinConditions, RoomJoinResult } from './RoomStore.js';

/** Where the registry hands frames for one locally connected peer. Must not throw. */
export type PeerSink = (frame: EncodedFrame) => void;

/** A new peer asking into a room: the argument of `RoomRegistry.join`. */
export interface JoinRequest {
  /** The room. */
  room: RoomId;
  /** The display name. */
  name: string;
  /** The media state. */
  state: MediaState;
  /** Receives every frame addressed to the peer while this connection speaks for it. */
  sink: PeerSink;
  /** Called when a resumed connection takes the peer over from this one. */
  onSuperseded?: () => void;
  /** The server caps and room-record conditions checked atomically with the join (see `JoinGate`). */
  admission?: RoomJoinConditions;
}

/** A peer coming back after a lost connection: the argument of `RoomRegistry.resume`. */
export interface ResumeRequest {
  /** The room its resume token names. */
  room: RoomId;
  /** The peer, with the id its resume token names. */
  peer: PeerInfo;
  /** How many frames the peer received (the index of the first it lacks). */
  received: number;
  /** Receives every later frame addressed to the peer. */
  sink: PeerSink;
  /** Called when yet another resumed connection takes the peer over from this one. */
  onSuperseded: () => void;
  /** Caps and the room record for re-admitting a peer no process has a trace of. */
  admission?: RoomJoinConditions;
}

/** The outcome of `RoomRegistry.join`. */
export type RegistryJoinResult =
  { ok: true; /** the joiner, with its minted id */ self: PeerInfo; /** the others */ peers: PeerInfo[] } | Extract<RoomJoinResult, { ok: false }>;

/** The outcome of `RoomRegistry.resume`. */
export type RegistryResumeResult =
  | {
      ok: true;
      /** The others in the room. */
      peers: PeerInfo[];
      /** The room had already been told this peer left: it must reconnect to everyone. */
      lapsed: boolean;
      /** Frames the peer has not received (from index `replayFrom`), to send after `resumed`. */
      replay: EncodedFrame[];
      replayFrom: number;
    }
  | Extract<RoomJoinResult, { ok: false }>;
