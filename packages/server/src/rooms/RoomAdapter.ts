import type { PeerId, PeerInfo, RoomId, ServerFrame } from '@ponte/protocol';
import { allocFrameBuffer } from '../transport/bufferPool.js';

/**
 * One server frame, serialized once as UTF-8 JSON, with its type. A frame is encoded a single
 * time and the same bytes go to every recipient; adapters route them without reading them.
 */
export interface EncodedFrame {
  /** The frame's `type` (what the frames-out metric counts). */
  readonly type: ServerFrame['type'];
  /** The frame as UTF-8 JSON text. */
  readonly bytes: Buffer;
}

/**
 * Receives the frames an adapter delivers to peers connected to this process. The registry
 * registers exactly one; a frame for a peer it does not know is dropped.
 */
export type DeliveryHandler = (peerId: PeerId, frame: EncodedFrame) => void;

/** What a room keeps besides its members, shared through the adapter with every process. */
export interface RoomRecord {
  /** The salted hash of the room's password (see `roomPassword.ts`), when it has one. */
  passwordHash?: string;
}

/** Conditions and data of one {@link RoomAdapter.join}, checked atomically with it. */
export interface AdapterJoinOptions {
  /** Stored as the room's record when this join creates the room. */
  create?: RoomRecord;
  /**
   * Admit only while the room's password hash is this one (`null`: the room has no password
   * or does not exist yet); otherwise resolve `{ ok: false, reason: 'changed' }`, so a
   * password checked against a stale record never lets anyone in.
   */
  expectPasswordHash?: string | null;
  /** Refuse, with reason `'rooms'`, a join that would create a room beyond this many. */
  maxRooms?: number;
  /** Refuse, with reason `'peers'`, a join beyond this many peers over all rooms. */
  maxPeers?: number;
}

/** The outcome of {@link RoomAdapter.join}. */
export type AdapterJoinResult =
  | { ok: true; /** the other members, before the joiner was added */ peers: PeerInfo[] }
  | { ok: false; reason: 'full' | 'rooms' | 'peers' | 'changed' };

/** Room and peer counts across everything the adapter knows about. */
export interface AdapterStats {
  /** Rooms with at least one member. */
  rooms: number;
  /** Peers in a room. */
  peers: number;
}

/**
 * Room membership and cross-connection delivery: the scaling seam of the server.
 *
 * The in-process {@link MemoryRoomAdapter} is the embedded default; an implementation over
 * Redis (or any bus) can spread rooms across server processes. Every method that touches
 * shared state returns a Promise so such an implementation fits the same shape; `deliver`,
 * the per-signal call, may also answer at once, which spares the relay a microtask.
 *
 * Rooms are created by the first join and removed when their last member leaves.
 */
export interface RoomAdapter {
  /**
   * Registers the handler that receives frames for peers connected to this process.
   * Called once by the registry before any other method.
   */
  setDeliveryHandler(handler: DeliveryHandler): void;
  /**
   * Atomically checks the room's size against `maxPeers` and adds `peer` to it.
   * Resolves with the members that were already there, or `{ ok: false, reason: 'full' }`;
   * `options` adds the server-wide caps and the room-record conditions.
   */
  join(room: RoomId, peer: PeerInfo, maxPeers: number, options?: AdapterJoinOptions): Promise<AdapterJoinResult>;
  /** The record of an existing room, or undefined when the room does not exist. */
  room(room: RoomId): Promise<RoomRecord | undefined>;
  /** Removes a peer from a room; resolves false if it was not a member. */
  leave(room: RoomId, peerId: PeerId): Promise<boolean>;
  /** Replaces a member's info; resolves false if it is not a member. */
  update(room: RoomId, peer: PeerInfo): Promise<boolean>;
  /** The members of a room (empty for a room that does not exist). */
  members(room: RoomId): Promise<PeerInfo[]>;
  /**
   * Delivers a frame to one member of `room`, wherever it is connected. Resolves false, and
   * delivers nothing, if `peerId` is not a member of that room. An adapter that knows the
   * answer at once (the in-memory one) returns it directly.
   */
  deliver(room: RoomId, peerId: PeerId, frame: EncodedFrame): boolean | Promise<boolean>;
  /** Delivers a frame to every member of `room` except `exceptPeerId`. */
  broadcast(room: RoomId, frame: EncodedFrame, exceptPeerId?: PeerId): Promise<void>;
  /** Room and peer counts. */
  stats(): Promise<AdapterStats>;
  /** Releases the adapter's resources; no method may be called afterwards. */
  close(): Promise<void>;
}

/** Serializes a server frame once, for every recipient. */
export function encodeFrame(frame: ServerFrame): EncodedFrame {
  return { type: frame.type, bytes: Buffer.from(JSON.stringify(frame), 'utf8') };
}

const SIGNAL_FROM = Buffer.from('{"type":"signal","from":');
const DATA = Buffer.from(',"data":');
const CLOSE_BRACE = 0x7d;

/**
 * The relayed `signal` frame from `from` carrying `data`, given as the JSON text the sender
 * wrote (already validated as `SignalData`): the bytes are spliced in, not parsed and
 * serialized again. The result is the same JSON value as `encodeFrame` would give.
 */
export function encodeSignal(from: PeerId, data: Buffer): EncodedFrame {
  const fromJson = JSON.stringify(from);
  // One allocation, filled in place (Buffer.concat of five parts made two).
  const bytes = allocFrameBuffer(SIGNAL_FROM.length + Buffer.byteLength(fromJson) + DATA.length + data.length + 1);
  bytes.set(SIGNAL_FROM, 0);
  let at = SIGNAL_FROM.length;
  at += bytes.write(fromJson, at);
  bytes.set(DATA, at);
  at += DATA.length;
  bytes.set(data, at);
  bytes[at + data.length] = CLOSE_BRACE;
  return { type: 'signal', bytes };
}
