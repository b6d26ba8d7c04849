import type { LeaveReason, PeerInfo } from '@ponte/protocol';
import { relayTarget } from '../../data/RelayedMessages.js';
import { PonteError } from '../../errors/PonteError.js';
import { createRemotePeer, type RemotePeer, type RemotePeerRecord } from '../../room/RemotePeer.js';
import { mediaProgressOf } from '../../stats/mediaProgress.js';
import { summarizeStats, type PeerStats, type StatsReportLike, type StatsSample } from '../../stats/peerStats.js';
import type { IceSettings, MediaKind, MediaTopology, PeerDataTarget, TopologyContext } from '../MediaTopology.js';
import type { SfuNews } from './sfuFrames.js';
import { SfuPublisher } from './SfuPublisher.js';
import { SfuSubscriber, type ReceivedStream } from './SfuSubscriber.js';
import { layerForTile, SIMULCAST_DEFAULTS, type SimulcastLayer, type SimulcastOptions, type TileSize } from './simulcast.js';

/** What we want of one peer's video through the SFU. */
export interface LayerRequest {
  /** The simulcast layer, 0 (lowest) to 2 (highest). */
  layer?: SimulcastLayer;
  /** True: stop forwarding it (its tile is not shown). */
  paused?: boolean;
}

/** What an {@link SfuTopology} needs. */
export interface SfuTopologyOptions extends TopologyContext {
  /** Configuration of our own that overrides the server's (see `RoomOptions.rtcConfig`). */
  rtcConfig?: RTCConfiguration;
  /** The layers our video is sent in. */
  simulcast?: Partial<SimulcastOptions>;
}

/**
 * The SFU {@link MediaTopology}: our media goes up once, on a publisher connection, and
 * everyone else's comes down on one subscriber connection, both to the SFU the server
 * brokers (`sfu-*` frames). Each received stream is given to its peer by the `streams` of the
 * SFU's latest offer; messages go through the server ({@link relayTarget}). Call
 * {@link SfuTopology.start} once ICE is configured.
 */
export class SfuTopology implements MediaTopology {
  readonly #options: SfuTopologyOptions;
  readonly #peers = new Map<string, RemotePeerRecord>();
  readonly #wishes = new Map<string, LayerRequest>();
  /** What the SFU was last asked of each media line we receive (a {@link LayerRequest} as JSON). */
  readonly #asked = new Map<string, string>();
  readonly #samples = new Map<string, StatsSample>();
  #rtcConfig: RTCConfiguration = {};
  #publisher: SfuPublisher | null = null;
  #subscriber: SfuSubscriber | null = null;
  /** Whether an offer of the SFU was answered (from then on the subscriber's state is the peers'). */
  #subscribed = false;
  #closed = false;

  constructor(options: SfuTopologyOptions) {
    this.#options = options;
  }

  /** The peers, by id, in the order they were added. */
  get peers(): ReadonlyMap<string, RemotePeer> {
    return this.#peers;
  }

  /** Our own id (the SFU knows us by the server's session, so it is not used). */
  setSelfId(): void {}

  /** Applies ICE servers and policy to both connections, present and future. */
  configureIce({ iceServers, iceTransportPolicy }: IceSettings): void {
    this.#rtcConfig = { bundlePolicy: 'max-bundle', iceServers, ...(iceTransportPolicy ? { iceTransportPolicy } : {}), ...this.#options.rtcConfig };
    this.#publisher?.configure(this.#rtcConfig);
    this.#subscriber?.configure(this.#rtcConfig);
  }

  /**
   * Publishes our media and subscribes to everyone else's, on fresh connections (again after
   * a resume: the server ended our SFU connections when our socket was lost).
   */
  start(): void {
    if (this.#closed) return;
    this.#publisher?.close();
    this.#subscriber?.close();
    this.#subscribed = false;
    this.#asked.clear();
    for (const peer of this.#peers.values()) for (const track of peer.stream.getTracks()) peer.stream.removeTrack(track);
    const { platform, local, sendSfu } = this.#options;
    this.#publisher = new SfuPublisher({
      RTCPeerConnection: platform.RTCPeerConnection,
      rtcConfig: this.#rtcConfig,
      send: sendSfu,
      localStream: local.stream,
      simulcast: { ...SIMULCAST_DEFAULTS, ...this.#options.simulcast },
      onState: () => this.#onState(),
      onError: (error) => this.#options.emit('error', error),
    });
    this.#subscriber = new SfuSubscriber({
      RTCPeerConnection: platform.RTCPeerConnection,
      rtcConfig: this.#rtcConfig,
      send: sendSfu,
      onState: () => this.#onState(),
      onStreams: (change) => this.#onStreams(change),
      onError: (error) => this.#options.emit('error', error),
    });
    this.#publisher.start({ audio: local.track('audio'), video: local.track('video') });
    sendSfu({ type: 'sfu-subscribe' });
  }

  /** A participant: its record, to which its streams are given as they come. */
  addPeer(info: PeerInfo): void {
    const known = this.#peers.get(info.id);
    if (known) {
      this.updatePeer(info);
      return;
    }
    const peer = createRemotePeer(info, new this.#options.platform.MediaStream(), this.#state());
    this.#peers.set(info.id, peer);
    this.#options.emit('peer-joined', peer);
    // Its streams may have come before it did (the SFU's offer outran its peer-joined).
    for (const stream of this.#subscriber?.streams.values() ?? []) if (stream.peerId === info.id) this.#give(peer, stream);
    this.#configure(info.id);
  }

  /** A participant left: the SFU's next offer drops its streams. */
  removePeer(id: string, reason: LeaveReason): void {
    const peer = this.#peers.get(id);
    this.#wishes.delete(id);
    this.#samples.delete(id);
    if (!peer) return;
    this.#peers.delete(id);
    this.#options.emit('peer-left', { peer, reason });
  }

  /** A participant's new name or media state. */
  updatePeer(info: PeerInfo): void {
    const peer = this.#peers.get(info.id);
    if (!peer) return;
    peer.name = info.name;
    peer.state = info.state;
    this.#options.emit('peer-updated', peer);
  }

  /** Peer-to-peer signals have no use here: they are dropped. */
  routeSignal(): void {}

  /** Sends `track` as our `kind` track (through the SFU, to everyone). */
  setLocalTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    this.#publisher?.setTrack(kind, track).catch((cause: unknown) => {
      this.#options.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not send the new ${kind} track to the SFU.`, { cause }));
    });
  }

  /** Targets that send messages through the server; files are refused (`SFU_UNSUPPORTED`). */
  dataTargets(to: string | readonly string[] | undefined): PeerDataTarget[] {
    const ids = to === undefined ? [...this.#peers.keys()] : typeof to === 'string' ? [to] : to;
    return ids.map((id) => {
      if (!this.#peers.has(id)) throw new PonteError('UNKNOWN_PEER', `There is no peer ${id} in the room.`);
      return relayTarget(id, this.#options.relay);
    });
  }

  /** What the server says about the SFU: its answer, its offers, who speaks, a refusal. */
  receive(news: SfuNews): void {
    if (this.#closed) return;
    switch (news.type) {
      case 'sfu-published':
        void this.#publisher?.answered(news.description);
        return;
      case 'sfu-offer':
        void this.#subscriber?.offer(news).then(() => {
          this.#subscribed = true;
          this.#onState();
          for (const id of this.#wishes.keys()) this.#configure(id);
        });
        return;
      case 'sfu-speaking': {
        const peers = news.peers.map((id) => this.#peers.get(id)).filter((peer): peer is RemotePeerRecord => peer !== undefined);
        this.#options.emit('active-speakers', { peers });
        return;
      }
      case 'error': {
        const error = PonteError.fromFrame(news);
        if (news.ref === 'sfu-publish') this.#publisher?.refused(error);
        this.#options.emit('error', error);
        return;
      }
    }
  }

  /**
   * Asks the SFU for one layer of a peer's video, or to pause it. Kept: applied again after
   * every new offer, and to the peer's streams when they come.
   */
  requestLayers(peerId: string, request: LayerRequest): void {
    this.#wishes.set(peerId, { ...this.#wishes.get(peerId), ...request });
    this.#configure(peerId);
  }

  /**
   * The size of the tile a peer's video is shown in (null, or 0 by 0: not shown): asks for
   * the layer that fills it ({@link layerForTile}), or pauses the video.
   */
  setTileSize(peerId: string, size: TileSize | null, devicePixelRatio = 1): void {
    if (size === null || size.width <= 0 || size.height <= 0) this.requestLayers(peerId, { paused: true });
    else this.requestLayers(peerId, { paused: false, layer: layerForTile(size, devicePixelRatio) });
  }

  /** Statistics per peer: its streams on our subscriber connection, and what we publish. */
  async stats(): Promise<PeerStats[]> {
    const report = async (pc: RTCPeerConnection | undefined): Promise<StatsReportLike> => (pc ? await pc.getStats() : new Map());
    const [down, up] = await Promise.all([report(this.#subscriber?.connection), report(this.#publisher?.connection)]);
    return [...this.#peers.values()].map((peer) => {
      const ids = new Set(peer.stream.getTracks().map((track) => track.id));
      const own = new Map<string, Record<string, unknown>>();
      for (const [id, entry] of down) {
        if (entry.type !== 'inbound-rtp' || (typeof entry.trackIdentifier === 'string' && ids.has(entry.trackIdentifier))) own.set(id, entry);
      }
      for (const [id, entry] of up) if (entry.type === 'outbound-rtp' || entry.type === 'remote-inbound-rtp') own.set(id, entry);
      const { stats, sample } = summarizeStats(peer.id, peer.connectionState, own, this.#samples.get(peer.id), null);
      this.#samples.set(peer.id, sample);
      return stats;
    });
  }

  /** How far each track we receive through the SFU has got, by track id. */
  mediaProgress(): Promise<Map<string, number>> {
    return mediaProgressOf(this.#subscriber ? [this.#subscriber.connection] : []);
  }

  /** Closes both connections (the SFU sees them hang up). */
  close(): void {
    this.#closed = true;
    this.#publisher?.close();
    this.#subscriber?.close();
    this.#peers.clear();
    this.#wishes.clear();
    this.#asked.clear();
    this.#samples.clear();
  }

  #onStreams({ removed, added }: { removed: ReceivedStream[]; added: ReceivedStream[] }): void {
    // A line that ended, or now carries someone else, is asked afresh.
    for (const stream of [...removed, ...added]) this.#asked.delete(stream.mid);
    for (const stream of removed) this.#peers.get(stream.peerId)?.stream.removeTrack(stream.track);
    for (const stream of added) {
      const peer = this.#peers.get(stream.peerId);
      if (peer) this.#give(peer, stream);
    }
  }

  /** Gives a peer its stream, in place of the one of that kind it had. */
  #give(peer: RemotePeerRecord, { kind, track }: ReceivedStream): void {
    if (peer.stream.getTrackById(track.id)) return;
    for (const old of peer.stream.getTracks()) if (old.kind === kind) peer.stream.removeTrack(old);
    peer.stream.addTrack(track);
    this.#options.emit('track', { peer, track });
  }

  /**
   * Sends the wish for a peer's video to the SFU, for each of its video streams the SFU was
   * not asked that of already (asking again is not free: the SFU may wait for a key frame).
   */
  #configure(peerId: string): void {
    const wish = this.#wishes.get(peerId);
    if (!wish || !this.#subscriber) return;
    const request = { ...(wish.layer === undefined ? {} : { layer: wish.layer }), ...(wish.paused === undefined ? {} : { paused: wish.paused }) };
    const key = JSON.stringify(request);
    const streams = [...this.#subscriber.streams.values()]
      .filter((stream) => stream.peerId === peerId && stream.kind === 'video' && this.#asked.get(stream.mid) !== key)
      .map(({ mid }) => ({ mid, ...request }));
    for (const { mid } of streams) this.#asked.set(mid, key);
    if (streams.length > 0) this.#options.sendSfu({ type: 'sfu-configure', streams });
  }

  /** Our peers' connection state: the subscriber's once it carries anything, else the publisher's. */
  #state(): RTCPeerConnectionState {
    const leg = this.#subscribed ? this.#subscriber : this.#publisher;
    return leg?.connection.connectionState ?? 'new';
  }

  #onState(): void {
    if (this.#closed) return;
    const state = this.#state();
    for (const peer of this.#peers.values()) {
      if (peer.connectionState === state) continue;
      peer.connectionState = state;
      this.#options.emit('connection-state', { peer, state });
    }
  }
}

/** The SFU as a {@link MediaTopologyFactory}, with its own options. */
export function sfuTopology(options: Omit<SfuTopologyOptions, keyof TopologyContext> = {}): (context: TopologyContext) => SfuTopology {
  return (context) => new SfuTopology({ ...options, ...context });
}
