import type { PeerId, RoomId } from '@ponte/protocol';
import type { ResumeGrants } from '../../credentials/resumeToken.js';
import type { SessionCredentials } from '../../credentials/SessionCredentials.js';
import type { RefreshEvent, SessionCredentialsGrant } from '../Dialect.js';

/**
 * The credentials a peer is handed when it enters a room (ICE servers with its own TURN
 * credential, the room's ICE transport policy and cap, a resume token) and the fresh ones it
 * gets in a long call, half their lifetime after the last. One per server; each session keeps
 * when its next refresh is due, and the transport checks every session from one shared timer.
 */
export class CredentialRefresh {
  readonly #credentials: SessionCredentials;
  readonly #maxPeers: number;

  /** Hands out `credentials`; `maxPeers` is the rooms' cap that clients are told. */
  constructor(credentials: SessionCredentials, maxPeers: number) {
    this.#credentials = credentials;
    this.#maxPeers = maxPeers;
  }

  /** What `peer` gets on entering `room`. */
  grant(room: RoomId, peer: PeerId, grants: ResumeGrants): SessionCredentialsGrant {
    const credentials = this.#credentials;
    return {
      iceServers: credentials.iceServers(peer),
      iceTransportPolicy: credentials.iceTransportPolicy(room),
      maxPeers: this.#maxPeers,
      resumeToken: credentials.resumeToken(room, peer, grants),
    };
  }

  /** Fresh credentials for `peer` in `room`. */
  refresh(room: RoomId, peer: PeerId, grants: ResumeGrants): RefreshEvent {
    const resumeToken = this.#credentials.resumeToken(room, peer, grants);
    return { type: 'refresh', resumeToken, iceServers: this.#credentials.iceServers(peer) };
  }

  /** When credentials handed out at `now` (`performance.now()` time) are next due. */
  nextDue(now: number): number {
    return now + this.#credentials.refreshIntervalMs;
  }
}
