import { PROTOCOL_MINOR, PROTOCOL_VERSION, isSupportedVersion, type ErrorCode, type MediaState, type PeerInfo, type RoomId } from '@ponte/protocol';
import type { Logger } from 'pino';
import type { EncodedFrame } from '../../rooms/EncodedFrame.js';
import type { PeerSink, RoomRegistry } from '../../rooms/RoomRegistry.js';
import { admittedRecord, type RoomJoinConditions } from '../../rooms/RoomStore.js';
import type { Admission, JoinGate } from '../../admission/JoinGate.js';
import { ROOMS_UNREACHABLE_MESSAGE, type Availability } from '../../admission/Availability.js';
import { ALL_PERMISSIONS, forbiddenMedia } from '../../admission/joinToken.js';
import type { ResumeGrants } from '../../credentials/resumeToken.js';
import type { SessionCredentials } from '../../credentials/SessionCredentials.js';
import type { EnteredEvent, JoinCommand, ResumeCommand } from '../Dialect.js';
import type { SfuBroker } from '../../media/SfuBroker.js';

/** What a peer without a join token is granted (one shared object, not one per session). */
export const FULL_GRANTS: ResumeGrants = Object.freeze({ permissions: ALL_PERMISSIONS });

/** The media state of a peer whose `join` does not state one. */
const DEFAULT_MEDIA_STATE: MediaState = { audio: false, video: false, screen: false };

/** How a peer got in, as {@link EnteringSession.enter} is told (the credentials are the session's to add). */
export type Entry =
  | { type: 'joined'; request: JoinCommand; peers: PeerInfo[] }
  | Pick<Extract<EnteredEvent, { type: 'resumed' }>, 'type' | 'request' | 'peers' | 'lapsed' | 'replayFrom'>;

/** The session of a connection as {@link RoomEntry} sees it. */
export interface EnteringSession {
  /** The room, while joined. */
  readonly room: RoomId | undefined;
  /** The connection's delivery callback: its identity tells the registry who speaks for the peer. */
  readonly sink: PeerSink;
  /** Called by the registry when a resumed connection takes over the peer. */
  readonly superseded: () => void;
  /** The client's IP address, which the room-password delay is counted by. */
  readonly address: string;
  /** The connection's number in the logs. */
  readonly conn: number;
  /** Answers the client with an error. */
  fail(code: ErrorCode, message: string, ref?: string): void;
  /**
   * Runs a registry join or resume while holding the frames that arrive for the peer meanwhile;
   * they go out after {@link enter}, and are dropped if the peer does not get in.
   */
  holdingFrames<T extends { ok: boolean }>(enter: () => Promise<T>): Promise<T>;
  /** The peer is in `room` as `self`: tell the client, then send `queued` and the held frames. */
  enter(room: RoomId, self: PeerInfo, grants: ResumeGrants, entry: Entry, queued: EncodedFrame[]): void;
}

/** What {@link RoomEntry} needs of the server. */
export interface RoomEntryDeps {
  registry: RoomRegistry;
  credentials: SessionCredentials;
  log: Logger;
  /** Admission checks of `join`: tokens, room passwords, server caps. Default: none. */
  gate?: JoinGate;
  /** Whether joins and resumes are taken now (not while draining or cut off from the rooms). Default: always. */
  availability?: Availability;
  /** Keeps clients that cannot use an SFU out of rooms carried by one. Default: none. */
  sfu?: SfuBroker;
}

/**
 * Admission of `join` and `resume`: the version check, the server's availability, the join
 * gate (token, password, caps), the resume token, the registry's join or resume, and the
 * grants a resume carries. One per server, shared by every session. While the server drains
 * or cannot reach its rooms, and when the rooms fail during the call, the client is answered
 * `UNAVAILABLE` at once (`INTERNAL` for a client older than minor 2, see `errorCodeForMinor`).
 */
export class RoomEntry {
  readonly #deps: RoomEntryDeps;

  /** Admits into the rooms of `deps.registry`. */
  constructor(deps: RoomEntryDeps) {
    this.#deps = deps;
  }

  /** Enters a room as a new peer, or tells the client why not. */
  async join(session: EnteringSession, frame: JoinCommand, attempt = 1): Promise<void> {
    if (!this.#mayEnter(session, frame.version, 'join')) return;
    const sfuRefusal = this.#deps.sfu?.refusal(frame.room, frame.features);
    if (sfuRefusal !== undefined) return session.fail('SFU_REQUIRED', sfuRefusal, 'join');
    const { gate, registry } = this.#deps;
    let admission: Extract<Admission, { ok: true }> | undefined;
    if (gate !== undefined) {
      const admitted = await this.#reachRooms(session, 'join', () => gate.admit(frame, session.address));
      if (admitted === undefined) return;
      if (!admitted.ok) return session.fail(admitted.code, admitted.message, 'join');
      admission = admitted;
    }
    const result = await this.#reachRooms(session, 'join', () =>
      session.holdingFrames(() =>
        registry.join({
          room: frame.room,
          name: admission?.name ?? frame.name,
          state: frame.state ?? DEFAULT_MEDIA_STATE,
          sink: session.sink,
          onSuperseded: session.superseded,
          admission: admission?.joinOptions,
        }),
      ),
    );
    if (result === undefined) return;
    if (!result.ok) {
      // The room's password changed between the check and the join: check again.
      if (result.reason === 'changed' && attempt < 3) return this.join(session, frame, attempt + 1);
      if (result.reason === 'rooms' || result.reason === 'peers') {
        return session.fail('SERVER_FULL', `this server holds as many ${result.reason} as it admits; try again later`, 'join');
      }
      return session.fail('ROOM_FULL', `room ${frame.room} is full (limit: ${registry.maxPeersPerRoom} peers)`, 'join');
    }
    const { passwordHash } = admittedRecord(admission?.joinOptions);
    const permissions = admission?.permissions ?? ALL_PERMISSIONS;
    const nameFixed = admission?.nameFixed === true;
    const grants =
      permissions === ALL_PERMISSIONS && !nameFixed && !passwordHash
        ? FULL_GRANTS
        : { permissions, ...(nameFixed ? { name: result.self.name } : {}), ...(passwordHash ? { passwordHash } : {}) };
    session.enter(frame.room, result.self, grants, { type: 'joined', request: frame, peers: result.peers }, []);
    this.#deps.log.info({ conn: session.conn, peer: result.self.id, room: frame.room, peers: result.peers.length + 1 }, 'peer joined');
  }

  /** Takes a peer back after a lost connection, or tells the client why not. */
  async resume(session: EnteringSession, frame: ResumeCommand): Promise<void> {
    if (!this.#mayEnter(session, frame.version, 'resume')) return;
    const verified = this.#deps.credentials.verifyResumeToken(frame.token);
    if (!verified.ok) return session.fail('RESUME_FAILED', `the resume token is ${verified.error}; join again`, 'resume');
    const { room, peer, grants } = verified.claims;
    const sfuRefusal = this.#deps.sfu?.refusal(room, frame.features);
    if (sfuRefusal !== undefined) return session.fail('SFU_REQUIRED', sfuRefusal, 'resume');
    const forbidden = forbiddenMedia(frame.state, grants.permissions);
    if (forbidden !== undefined) {
      return session.fail('FORBIDDEN', `the join token does not allow publishing ${forbidden}`, 'resume');
    }
    const self: PeerInfo = { id: peer, name: grants.name ?? frame.name, state: frame.state };
    const readmit: RoomJoinConditions = {
      ...this.#deps.gate?.caps,
      ...(grants.passwordHash === undefined ? {} : { create: { passwordHash: grants.passwordHash } }),
    };
    const result = await this.#reachRooms(session, 'resume', () =>
      session.holdingFrames(() =>
        this.#deps.registry.resume({
          room,
          peer: self,
          received: frame.received,
          sink: session.sink,
          onSuperseded: session.superseded,
          admission: readmit,
        }),
      ),
    );
    if (result === undefined) return;
    if (!result.ok) {
      return session.fail('RESUME_FAILED', `room ${room} cannot take the peer back (${result.reason}); join again`, 'resume');
    }
    const { peers, lapsed, replayFrom, replay } = result;
    session.enter(room, self, grants, { type: 'resumed', request: frame, peers, lapsed, replayFrom }, replay);
    this.#deps.log.info({ conn: session.conn, peer, room, lapsed, replayed: replay.length }, 'peer resumed');
  }

  /** Whether a `join` or `resume` may be taken now; if not, the client has been told why. */
  #mayEnter(session: EnteringSession, version: number, ref: 'join' | 'resume'): boolean {
    if (session.room !== undefined) {
      session.fail('ALREADY_JOINED', `already in room ${session.room}; leave first`, ref);
      return false;
    }
    // Any minor of our major: a newer client's extra fields were dropped by the parser.
    if (!isSupportedVersion(version)) {
      session.fail(
        'UNSUPPORTED_VERSION',
        `protocol version ${version} is not supported; this server speaks ${PROTOCOL_VERSION}.${PROTOCOL_MINOR} (any ${PROTOCOL_VERSION}.x)`,
        ref,
      );
      return false;
    }
    const refusal = this.#deps.availability?.refusal();
    if (refusal !== undefined) {
      session.fail('UNAVAILABLE', refusal, ref);
      return false;
    }
    return true;
  }

  /**
   * Runs the part of a join or resume that reads and writes the rooms. When it throws (the
   * shared store dropped in the middle of it), the registry has undone what it could; the
   * client is told to come back, and this resolves undefined.
   */
  async #reachRooms<T>(session: EnteringSession, ref: 'join' | 'resume', call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      this.#deps.log.error({ conn: session.conn, err: error, ref }, 'the rooms failed during a join or resume');
      session.fail('UNAVAILABLE', ROOMS_UNREACHABLE_MESSAGE, ref);
      return undefined;
    }
  }
}
