import type { IceServer, JoinedFrame, PeerInfo, ResumedFrame } from '@ponte/protocol';
import type { RelayedFrame } from '../signaling/RoomConnection.js';
import type { IceSettings, MediaTopology } from '../topology/MediaTopology.js';
import { ReturningPeers } from './ReturningPeers.js';

/**
 * Keeps a room's media topology in step with the room as the signaling server reports it:
 * who we are, who is there (joins, leaves, updates, resumes), their signals, and the ICE
 * settings. The topology connects; the roster says to whom.
 */
export class PeerRoster {
  readonly #topology: MediaTopology;
  readonly #returning: ReturningPeers;
  /** The server's latest ICE settings (kept to apply refreshed TURN credentials over them). */
  #ice: IceSettings | null = null;

  constructor(topology: MediaTopology, peerReturnTimeoutMs: number) {
    this.#topology = topology;
    this.#returning = new ReturningPeers(peerReturnTimeoutMs, (id) => topology.removePeer(id, 'disconnected'));
  }

  /** We are in the room as `frame.self`, with the server's ICE settings; nobody is met yet. */
  enter(frame: JoinedFrame): void {
    this.#topology.setSelfId(frame.self);
    this.#configureIce(frame);
  }

  /** The peers already there when we came: we are the newcomer and open each negotiation. */
  meet(peers: readonly PeerInfo[]): void {
    for (const info of peers) this.#topology.addPeer(info, true);
  }

  /** Fresh ICE servers (short-lived TURN credentials), under the same policy. */
  refresh(iceServers: IceServer[]): void {
    this.#configureIce({ iceServers, iceTransportPolicy: this.#ice?.iceTransportPolicy });
  }

  /** A frame another peer caused, relayed by the server. */
  relayed(frame: RelayedFrame): void {
    switch (frame.type) {
      case 'peer-joined':
        // A peer we were waiting for after a resume is back (and only updated).
        this.#returning.arrived(frame.peer.id);
        return this.#topology.addPeer(frame.peer, false);
      case 'peer-left':
        this.#returning.arrived(frame.peer);
        return this.#topology.removePeer(frame.peer, frame.reason);
      case 'peer-updated':
        return this.#topology.updatePeer(frame.peer);
      case 'signal':
        return this.#topology.routeSignal(frame.from, frame.data);
    }
  }

  /**
   * Back on the server after a lost connection: as a new peer (`fresh`: the room had let us
   * go, so everyone's connection to us is gone and we start over as a newcomer), or as the
   * same one (see {@link #expectBack}).
   */
  restored(frame: JoinedFrame | ResumedFrame, fresh: boolean): void {
    this.#configureIce(frame);
    if (!fresh) {
      this.#expectBack(frame.peers);
      return;
    }
    this.#topology.setSelfId(frame.self);
    this.#returning.clear();
    for (const id of [...this.#topology.peers.keys()]) this.#topology.removePeer(id, 'disconnected');
    this.meet(frame.peers);
  }

  /** Closes every connection and waits for nobody. */
  close(): void {
    this.#returning.clear();
    this.#topology.close();
  }

  /**
   * After a resume, keeps the peers the server listed and gives the others time to come
   * back (they may still be resuming after a server restart) before taking them as gone.
   */
  #expectBack(listed: readonly PeerInfo[]): void {
    const ids = new Set(listed.map((peer) => peer.id));
    for (const id of this.#topology.peers.keys()) if (!ids.has(id)) this.#returning.expect(id);
    for (const info of listed) {
      this.#returning.arrived(info.id);
      this.#topology.addPeer(info, false);
    }
  }

  #configureIce({ iceServers, iceTransportPolicy }: IceSettings): void {
    this.#ice = { iceServers, iceTransportPolicy };
    this.#topology.configureIce(this.#ice);
  }
}
