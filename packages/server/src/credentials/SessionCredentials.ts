import { randomBytes } from 'node:crypto';
import type { IceServer, PeerId, RoomId } from '@ponte/protocol';
import { mintResumeToken, verifyResumeToken, type ResumeClaims, type ResumeGrants, type ResumeTokenError } from './resumeToken.js';
import { DEFAULT_TURN_TTL_SECONDS, iceServersFor, type TurnOptions } from './turnCredentials.js';

/** What {@link SessionCredentials} is built from (see `ServerOptions`). */
export interface SessionCredentialsOptions {
  /** Signs resume tokens; a random one per process when absent (resume then needs the same process). */
  secret: string | undefined;
  resumeTokenTtlSeconds: number;
  iceServers: IceServer[];
  turn: TurnOptions | undefined;
  /** Rooms that must connect through TURN only: `'*'` for all, or a list of room ids. */
  relayOnlyRooms: '*' | readonly string[];
}

/**
 * Everything a connection is handed to connect and to come back: ICE servers with a TURN
 * credential of its own, the room's ICE transport policy, and resume tokens; plus how often
 * they must be refreshed before they expire.
 */
export class SessionCredentials {
  readonly #options: SessionCredentialsOptions;
  readonly #secret: string;

  constructor(options: SessionCredentialsOptions) {
    this.#options = options;
    this.#secret = options.secret ?? randomBytes(32).toString('base64url');
  }

  /** ICE servers for one peer (a fresh TURN credential when TURN is configured). */
  iceServers(peerId: PeerId): IceServer[] {
    return iceServersFor(peerId, this.#options.iceServers, this.#options.turn);
  }

  /** `relay` when `room` must use TURN only. */
  iceTransportPolicy(room: RoomId): 'all' | 'relay' {
    const rooms = this.#options.relayOnlyRooms;
    return rooms === '*' || rooms.includes(room) ? 'relay' : 'all';
  }

  /** A resume token for `peer` in `room`, carrying what it was granted at join. */
  resumeToken(room: RoomId, peer: PeerId, grants: ResumeGrants): string {
    return mintResumeToken(this.#secret, room, peer, this.#options.resumeTokenTtlSeconds, grants);
  }

  /** Checks a resume token. */
  verifyResumeToken(token: string): { ok: true; claims: ResumeClaims } | { ok: false; error: ResumeTokenError } {
    return verifyResumeToken(this.#secret, token);
  }

  /** How often a connection gets fresh credentials: half the shortest lifetime, in ms. */
  get refreshIntervalMs(): number {
    const turnTtl = this.#options.turn ? (this.#options.turn.ttlSeconds ?? DEFAULT_TURN_TTL_SECONDS) : Infinity;
    return (Math.min(this.#options.resumeTokenTtlSeconds, turnTtl) * 1000) / 2;
  }
}
