import type { PeerId, PeerInfo, RoomId } from '@ponte/protocol';

/** What a room keeps besides its members, shared through the {@link RoomStore} with every process. */
export interface RoomRecord {
  /** The salted hash of the room's password (see `roomPassword.ts`), when it has one. */
  passwordHash?: string;
}

/** The caps and conditions of one {@link RoomStore.join}, checked atomically with it. */
export interface RoomJoinConditions {
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
  maxPeersPerServer?: number;
}

const NO_RECORD: RoomRecord = Object.freeze({});

/**
 * The room record a join or resume was admitted under: the password hash it created, or the
 * one it was checked against (one shared empty record for a room without a password).
 */
export function admittedRecord(conditions: RoomJoinConditions | undefined): RoomRecord {
  const passwordHash = conditions?.create?.passwordHash ?? conditions?.expectPasswordHash ?? undefined;
  return passwordHash === undefined ? NO_RECORD : { passwordHash };
}

/** The outcome of {@link RoomStore.join}. */
export type RoomJoinResult =
  | { ok: true; /** the other members, before the joiner was added */ peers: PeerInfo[] }
  | { ok: false; reason: 'full' | 'rooms' | 'peers' | 'changed' };

/** Room and peer counts across every process sharing the store. */
export interface RoomStats {
  /** Rooms with at least one member. */
  rooms: number;
  /** Peers in a room. */
  peers: number;
}

/**
 * Room membership and room facts, shared by every server process that serves the rooms.
 *
 * Rooms are created by their first join (which stores their {@link RoomRecord}) and removed,
 * record and all, when their last member leaves. Every method answers with a Promise, so an
 * implementation over a network store fits the same shape. A member stays a member while its
 * peer is held for a resume (see `SessionStore`): only `leave` removes it.
 */
export interface RoomStore {
  /**
   * Adds `peer` to `room` if, in one atomic step, the room has fewer than `maxPeersPerRoom`
   * members (else `'full'`), the store fewer than `conditions.maxPeersPerServer` peers (else
   * `'peers'`), a new room would not exceed `conditions.maxRooms` (else `'rooms'`), and the
   * room's password hash is `conditions.expectPasswordHash` when that is given (else
   * `'changed'`). Two processes racing for the last seat: exactly one gets it. Joining as a
   * peer that is already a member replaces its info without counting it twice. Resolves with
   * the members that were there before.
   */
  join(room: RoomId, peer: PeerInfo, maxPeersPerRoom: number, conditions?: RoomJoinConditions): Promise<RoomJoinResult>;
  /** Removes a peer from a room; resolves false if it was not a member. */
  leave(room: RoomId, peerId: PeerId): Promise<boolean>;
  /** Replaces a member's info; resolves false, and stores nothing, if it is not a member. */
  update(room: RoomId, peer: PeerInfo): Promise<boolean>;
  /** The members of a room in the order they joined (empty for a room that does not exist). */
  members(room: RoomId): Promise<PeerInfo[]>;
  /** A copy of the record of an existing room, or undefined when the room does not exist. */
  room(room: RoomId): Promise<RoomRecord | undefined>;
  /** Room and peer counts. */
  stats(): Promise<RoomStats>;
  /** Releases the store's resources (a shared store forgets this process's share); idempotent. */
  close(): Promise<void>;
}
