import type { IceServer, LeaveReason, MediaState, PeerInfo, SignalData } from '@ponte/protocol';
import { BITRATE_BUDGET_DEFAULTS, videoBitrateCap, type BitrateBudget } from './bitrateBudget.js';
import type { IncomingFile } from '../../data/IncomingFile.js';
import type { LocalMedia } from '../../room/LocalMedia.js';
import { PeerData, type JsonValue, type PeerDataOptions } from '../../data/PeerData.js';
import { PeerSession, type MediaKind } from './PeerSession.js';
import { PonteError } from '../../errors/PonteError.js';
import type { Platform } from '../../platform/Platform.js';
import { summarizeStats, type PeerStats, type StatsSample } from '../../stats/peerStats.js';

/** A participant other than us, as the room sees them. Updated in place. */
export interface RemotePeer {
  readonly id: string;
  readonly name: string;
  readonly state: MediaState;
  /** Their audio and video, ready for a `<video>` element. Grows as tracks arrive. */
  readonly stream: MediaStream;
  readonly connectionState: RTCPeerConnectionState;
}

/** What the mesh tells the room about its peers. */
export interface PeerMeshEvents {
  'peer-joined': RemotePeer;
  'peer-left': { peer: RemotePeer; reason: LeaveReason };
  'peer-updated': RemotePeer;
  track: { peer: RemotePeer; track: MediaStreamTrack };
  'connection-state': { peer: RemotePeer; state: RTCPeerConnectionState };
  /** A message from a peer, sent peer to peer: JSON as sent, or bytes as an `ArrayBuffer`. */
  message: { from: RemotePeer; data: JsonValue | ArrayBuffer; reliable: boolean };
  /** A peer offers us a file: `file.accept()` or `file.decline()`. */
  'file-offer': { from: RemotePeer; file: IncomingFile };
  /** A peer sent data we refused (`BAD_PEER_DATA`); the room and that peer's link go on. */
  'data-error': { peer: RemotePeer; error: PonteError };
  error: PonteError;
}

/** A peer with its connection and data channels. */
export interface PeerEntry extends RemotePeer {
  name: string;
  state: MediaState;
  connectionState: RTCPeerConnectionState;
  session: PeerSession;
  data: PeerData;
}

/** What a {@link PeerMesh} needs, passed in so it can be built and tested alone. */
export interface PeerMeshOptions {
  local: LocalMedia;
  /** Sends signaling data to a peer (through the server). */
  signal: (to: string, data: SignalData) => void;
  /** Tells the room about its peers. */
  emit: <K extends keyof PeerMeshEvents>(name: K, payload: PeerMeshEvents[K]) => void;
  /** Configuration of our own that overrides the server's (see `RoomOptions.rtcConfig`). */
  rtcConfig?: RTCConfiguration;
  data?: PeerDataOptions;
  bitrateBudget?: Partial<BitrateBudget>;
  /** Where `RTCPeerConnection` and `MediaStream` come from. */
  platform: Pick<Platform, 'RTCPeerConnection' | 'MediaStream'>;
  /** See `RoomOptions.peerReturnTimeoutMs`. Default 20000. */
  peerReturnTimeoutMs?: number;
}

/** Most signals held for a peer we have not been introduced to yet. */
const EARLY_SIGNAL_LIMIT = 64;

/**
 * The other participants of a room and our connection to each: creates and closes their
 * {@link PeerSession}s and data channels, routes their signals, shares our video uplink
 * between them, and gathers their statistics.
 */
export class PeerMesh {
  readonly #options: PeerMeshOptions;
  readonly #budget: BitrateBudget;
  readonly #peers = new Map<string, PeerEntry>();
  readonly #earlySignals = new Map<string, SignalData[]>();
  readonly #returnTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #samples = new Map<string, StatsSample>();
  #selfId = '';
  #rtcConfig: RTCConfiguration = {};

  constructor(options: PeerMeshOptions) {
    this.#options = options;
    this.#budget = { ...BITRATE_BUDGET_DEFAULTS, ...options.bitrateBudget };
  }

  /** The peers, by id. */
  get peers(): ReadonlyMap<string, PeerEntry> {
    return this.#peers;
  }

  /** Our own peer id, which decides politeness in each pair. */
  set selfId(id: string) {
    this.#selfId = id;
  }

  /**
   * Applies ICE servers (fresh TURN credentials) and policy to every connection, present and
   * future. Audio, video and data share one transport (`max-bundle`: every Ponte peer
   * bundles), so candidates are gathered, signaled and checked once per peer, not once per
   * media type.
   */
  configure(iceServers: IceServer[], policy: RTCIceTransportPolicy | undefined): void {
    this.#rtcConfig = {
      bundlePolicy: 'max-bundle',
      iceServers,
      ...(policy ? { iceTransportPolicy: policy } : {}),
      ...this.#options.rtcConfig,
    };
    for (const entry of this.#peers.values()) entry.session.configure(this.#rtcConfig);
  }

  /** The current ICE transport policy. */
  get iceTransportPolicy(): RTCIceTransportPolicy | undefined {
    return this.#rtcConfig.iceTransportPolicy;
  }

  /**
   * Connects to a peer (`initiator`: we are the newcomer and open the negotiation). A peer
   * we are already connected to, coming back on the server, is only updated.
   */
  add(info: PeerInfo, initiator: boolean): void {
    if (this.#peers.has(info.id)) {
      this.#cancelReturn(info.id);
      this.update(info);
      return;
    }
    const { local, emit } = this.#options;
    const session = new PeerSession({
      selfId: this.#selfId,
      peerId: info.id,
      rtcConfig: this.#rtcConfig,
      initiator,
      localStream: local.stream,
      tracks: { audio: local.track('audio'), video: local.track('video') },
      sendSignal: (data) => this.#options.signal(info.id, data),
      platform: this.#options.platform,
    });
    // Created at once: on the initiator its channels must ride on the first offer.
    const data = new PeerData(session, info.id, this.#options.data);
    const entry: PeerEntry = { ...info, stream: session.remoteStream, connectionState: session.connectionState, session, data };
    this.#peers.set(info.id, entry);
    session.on('track', (track) => emit('track', { peer: entry, track }));
    session.on('connection-state', (state) => {
      entry.connectionState = state;
      emit('connection-state', { peer: entry, state });
    });
    session.on('error', (error) => emit('error', error));
    data.on('message', ({ data: payload, reliable }) => emit('message', { from: entry, data: payload, reliable }));
    data.on('file-offer', (file) => emit('file-offer', { from: entry, file }));
    data.on('error', (error) => emit('data-error', { peer: entry, error }));
    this.#shareUplink();
    emit('peer-joined', entry);
    for (const early of this.#earlySignals.get(info.id) ?? []) void session.handleSignal(early);
    this.#earlySignals.delete(info.id);
  }

  /** Closes the connection to a peer that left. */
  remove(id: string, reason: LeaveReason): void {
    this.#earlySignals.delete(id);
    this.#cancelReturn(id);
    this.#samples.delete(id);
    const entry = this.#peers.get(id);
    if (!entry) return;
    this.#peers.delete(id);
    this.#close(entry, 'peer-left');
    this.#shareUplink();
    this.#options.emit('peer-left', { peer: entry, reason });
  }

  /** A peer's new name or media state. */
  update(info: PeerInfo): void {
    const entry = this.#peers.get(info.id);
    if (!entry) return;
    entry.name = info.name;
    entry.state = info.state;
    this.#options.emit('peer-updated', entry);
  }

  /** Hands signaling data to the peer's session (held until that peer is introduced). */
  route(from: string, data: SignalData): void {
    const entry = this.#peers.get(from);
    if (entry) {
      void entry.session.handleSignal(data);
      return;
    }
    // A signal can only outrun its sender's `peer-joined` across server processes; hold it.
    const early = this.#earlySignals.get(from) ?? [];
    if (early.length < EARLY_SIGNAL_LIMIT) early.push(data);
    this.#earlySignals.set(from, early);
  }

  /**
   * After a resume, keeps the peers the server listed and gives the others time to come
   * back (they may still be resuming after a server restart) before taking them as gone.
   */
  expectBack(listed: readonly PeerInfo[]): void {
    const ids = new Set(listed.map((peer) => peer.id));
    for (const id of this.#peers.keys()) if (!ids.has(id)) this.#awaitReturn(id);
    for (const info of listed) this.add(info, false);
  }

  /** Sends `track` as our `kind` track to everyone. */
  sendTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    for (const entry of this.#peers.values()) {
      entry.session.setTrack(kind, track).catch((cause: unknown) => {
        this.#options.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not send the new ${kind} track.`, { cause }));
      });
    }
  }

  /** The peers `to` names (all when undefined); throws `UNKNOWN_PEER` for a stranger. */
  targets(to: string | readonly string[] | undefined): PeerEntry[] {
    if (to === undefined) return [...this.#peers.values()];
    return (typeof to === 'string' ? [to] : to).map((id) => {
      const entry = this.#peers.get(id);
      if (!entry) throw new PonteError('UNKNOWN_PEER', `There is no peer ${id} in the room.`);
      return entry;
    });
  }

  /** Statistics of every connection; rates cover the time since the previous call. */
  async stats(): Promise<PeerStats[]> {
    return Promise.all(
      [...this.#peers.values()].map(async (entry) => {
        const report = (await entry.session.connection.getStats()) as unknown as ReadonlyMap<string, Record<string, unknown>>;
        const { stats, sample } = summarizeStats(
          entry.id,
          entry.connectionState,
          report,
          this.#samples.get(entry.id),
          entry.session.videoBitrateCap,
        );
        this.#samples.set(entry.id, sample);
        return stats;
      }),
    );
  }

  /** Closes every connection, telling no one (we are the one leaving). */
  closeAll(reason: 'left' | 'peer-left'): void {
    for (const entry of this.#peers.values()) this.#close(entry, reason);
    for (const timer of this.#returnTimers.values()) clearTimeout(timer);
    this.#peers.clear();
    this.#earlySignals.clear();
    this.#returnTimers.clear();
    this.#samples.clear();
  }

  #close(entry: PeerEntry, reason: 'left' | 'peer-left'): void {
    entry.data.close(reason);
    entry.session.close();
  }

  /** Caps each peer's video so that the sum stays within the uplink budget. */
  #shareUplink(): void {
    const cap = videoBitrateCap(this.#budget, this.#peers.size);
    for (const entry of this.#peers.values()) void entry.session.setVideoBitrateCap(cap).catch(() => {});
  }

  #awaitReturn(id: string): void {
    this.#cancelReturn(id);
    const timer = setTimeout(() => this.remove(id, 'disconnected'), this.#options.peerReturnTimeoutMs ?? 20_000);
    this.#returnTimers.set(id, timer);
  }

  #cancelReturn(id: string): void {
    clearTimeout(this.#returnTimers.get(id));
    this.#returnTimers.delete(id);
  }
}
