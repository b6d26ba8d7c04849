import type { LeaveReason, PeerInfo, SignalData } from '@ponte/protocol';
import { PeerData, type PeerDataOptions } from '../../data/PeerData.js';
import { PonteError } from '../../errors/PonteError.js';
import { createRemotePeer, type RemotePeer, type RemotePeerRecord } from '../../room/RemotePeer.js';
import { mediaProgressOf } from '../../stats/mediaProgress.js';
import { summarizeStats, type PeerStats, type StatsSample } from '../../stats/peerStats.js';
import type { IceSettings, MediaKind, MediaTopology, MediaTopologyEvents, PeerDataTarget, TopologyContext } from '../MediaTopology.js';
import { BITRATE_BUDGET_DEFAULTS, videoBitrateCap, type BitrateBudget } from './bitrateBudget.js';
import { PeerSession } from './PeerSession.js';

/** What the mesh tells the room about its peers (the events of every {@link MediaTopology}). */
export type PeerMeshEvents = MediaTopologyEvents;

/** What a {@link PeerMesh} needs, passed in so it can be built and tested alone. */
export interface PeerMeshOptions extends TopologyContext {
  /** Configuration of our own that overrides the server's (see `RoomOptions.rtcConfig`). */
  rtcConfig?: RTCConfiguration;
  /** Limits of peer-to-peer messages and tuning of file transfers. */
  data?: PeerDataOptions;
  /** How much video uplink to spend on all peers together. */
  bitrateBudget?: Partial<BitrateBudget>;
}

/** One peer of the mesh: what the room sees, and our connection and data link to them. */
interface MeshLink {
  readonly peer: RemotePeerRecord;
  readonly session: PeerSession;
  readonly data: PeerData;
}

/** Most signals held for a peer we have not been introduced to yet. */
const EARLY_SIGNAL_LIMIT = 64;

/**
 * The mesh {@link MediaTopology}: one {@link PeerSession} and one {@link PeerData} link per
 * other participant, negotiated peer to peer through the signaling server. It creates and
 * closes them, routes their signals, shares our video uplink between them, and gathers
 * their statistics.
 */
export class PeerMesh implements MediaTopology {
  readonly #options: PeerMeshOptions;
  readonly #budget: BitrateBudget;
  readonly #links = new Map<string, MeshLink>();
  readonly #peers = new Map<string, RemotePeerRecord>();
  readonly #earlySignals = new Map<string, SignalData[]>();
  readonly #samples = new Map<string, StatsSample>();
  #selfId = '';
  #rtcConfig: RTCConfiguration = {};

  constructor(options: PeerMeshOptions) {
    this.#options = options;
    this.#budget = { ...BITRATE_BUDGET_DEFAULTS, ...options.bitrateBudget };
  }

  /** The peers, by id, in the order they were added. */
  get peers(): ReadonlyMap<string, RemotePeer> {
    return this.#peers;
  }

  /** Our own peer id, which decides politeness in each pair. */
  setSelfId(id: string): void {
    this.#selfId = id;
  }

  /**
   * Applies ICE servers (fresh TURN credentials) and policy to every connection, present and
   * future. Audio, video and data share one transport (`max-bundle`: every Ponte peer
   * bundles), so candidates are gathered, signaled and checked once per peer, not once per
   * media type.
   */
  configureIce({ iceServers, iceTransportPolicy }: IceSettings): void {
    this.#rtcConfig = {
      bundlePolicy: 'max-bundle',
      iceServers,
      ...(iceTransportPolicy ? { iceTransportPolicy } : {}),
      ...this.#options.rtcConfig,
    };
    for (const { session } of this.#links.values()) session.configure(this.#rtcConfig);
  }

  /**
   * Connects to a peer (`initiator`: we are the newcomer and open the negotiation). A peer
   * we are already connected to, coming back on the server, is only updated.
   */
  addPeer(info: PeerInfo, initiator: boolean): void {
    if (this.#links.has(info.id)) {
      this.updatePeer(info);
      return;
    }
    const { local, emit, platform } = this.#options;
    const session = new PeerSession({
      selfId: this.#selfId,
      peerId: info.id,
      rtcConfig: this.#rtcConfig,
      initiator,
      localStream: local.stream,
      tracks: { audio: local.track('audio'), video: local.track('video') },
      sendSignal: (data) => this.#options.signal(info.id, data),
      platform,
    });
    // Created at once: on the initiator its channels must ride on the first offer.
    const data = new PeerData(session, info.id, this.#options.data);
    const peer = createRemotePeer(info, session.remoteStream, session.connectionState);
    this.#links.set(info.id, { peer, session, data });
    this.#peers.set(info.id, peer);
    session.on('track', (track) => emit('track', { peer, track }));
    session.on('connection-state', (state) => {
      peer.connectionState = state;
      emit('connection-state', { peer, state });
    });
    session.on('error', (error) => emit('error', error));
    data.on('message', ({ data: payload, reliable }) => emit('message', { from: peer, data: payload, reliable }));
    data.on('file-offer', (file) => emit('file-offer', { from: peer, file }));
    data.on('error', (error) => emit('data-error', { peer, error }));
    this.#shareUplink();
    emit('peer-joined', peer);
    for (const early of this.#earlySignals.get(info.id) ?? []) void session.handleSignal(early);
    this.#earlySignals.delete(info.id);
  }

  /** Closes the connection to a peer that left. */
  removePeer(id: string, reason: LeaveReason): void {
    this.#earlySignals.delete(id);
    this.#samples.delete(id);
    const link = this.#links.get(id);
    if (!link) return;
    this.#links.delete(id);
    this.#peers.delete(id);
    this.#close(link, 'peer-left');
    this.#shareUplink();
    this.#options.emit('peer-left', { peer: link.peer, reason });
  }

  /** A peer's new name or media state. */
  updatePeer(info: PeerInfo): void {
    const peer = this.#peers.get(info.id);
    if (!peer) return;
    peer.name = info.name;
    peer.state = info.state;
    this.#options.emit('peer-updated', peer);
  }

  /** Hands signaling data to the peer's session (held until that peer is introduced). */
  routeSignal(from: string, data: SignalData): void {
    const link = this.#links.get(from);
    if (link) {
      void link.session.handleSignal(data);
      return;
    }
    // A signal can only outrun its sender's `peer-joined` across server processes; hold it.
    const early = this.#earlySignals.get(from) ?? [];
    if (early.length < EARLY_SIGNAL_LIMIT) early.push(data);
    this.#earlySignals.set(from, early);
  }

  /** Sends `track` as our `kind` track to everyone. */
  setLocalTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    for (const { session } of this.#links.values()) {
      session.setTrack(kind, track).catch((cause: unknown) => {
        this.#options.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not send the new ${kind} track.`, { cause }));
      });
    }
  }

  /** The data links of the peers `to` names (all when undefined); throws `UNKNOWN_PEER` for a stranger. */
  dataTargets(to: string | readonly string[] | undefined): PeerDataTarget[] {
    if (to === undefined) return [...this.#links.values()].map((link) => link.data);
    return (typeof to === 'string' ? [to] : to).map((id) => {
      const link = this.#links.get(id);
      if (!link) throw new PonteError('UNKNOWN_PEER', `There is no peer ${id} in the room.`);
      return link.data;
    });
  }

  /** Statistics of every connection; rates cover the time since the previous call. */
  async stats(): Promise<PeerStats[]> {
    return Promise.all(
      [...this.#links.values()].map(async ({ peer, session }) => {
        const report = (await session.connection.getStats()) as unknown as ReadonlyMap<string, Record<string, unknown>>;
        const { stats, sample } = summarizeStats(peer.id, peer.connectionState, report, this.#samples.get(peer.id), session.videoBitrateCap);
        this.#samples.set(peer.id, sample);
        return stats;
      }),
    );
  }

  /** How far each track we receive from the peers has got, by track id. */
  mediaProgress(): Promise<Map<string, number>> {
    return mediaProgressOf([...this.#links.values()].map(({ session }) => session.connection));
  }

  /** Closes every connection, telling no one (we are the one leaving). */
  close(): void {
    for (const link of this.#links.values()) this.#close(link, 'left');
    this.#links.clear();
    this.#peers.clear();
    this.#earlySignals.clear();
    this.#samples.clear();
  }

  #close(link: MeshLink, reason: 'left' | 'peer-left'): void {
    link.data.close(reason);
    link.session.close();
  }

  /** Caps each peer's video so that the sum stays within the uplink budget. */
  #shareUplink(): void {
    const cap = videoBitrateCap(this.#budget, this.#links.size);
    for (const { session } of this.#links.values()) void session.setVideoBitrateCap(cap).catch(() => {});
  }
}

/** The mesh as a {@link MediaTopologyFactory}, with its own options. */
export function meshTopology(options: Omit<PeerMeshOptions, keyof TopologyContext> = {}): (context: TopologyContext) => PeerMesh {
  return (context) => new PeerMesh({ ...options, ...context });
}
