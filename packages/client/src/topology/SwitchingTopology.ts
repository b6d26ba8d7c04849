import type { LeaveReason, PeerInfo, SignalData, TopologyMode } from '@ponte/protocol';
import { movedMode, movedNotice, openEnvelope, relayTarget } from '../data/RelayedMessages.js';
import { PonteError } from '../errors/PonteError.js';
import { createRemotePeer, type RemotePeer, type RemotePeerRecord } from '../room/RemotePeer.js';
import type { PeerStats } from '../stats/peerStats.js';
import type { IceSettings, MediaKind, MediaTopology, MediaTopologyEvents, PeerDataTarget, TopologyContext } from './MediaTopology.js';
import { isPolite } from './mesh/negotiation.js';
import type { SfuNews } from './sfu/sfuFrames.js';
import type { TileSize } from './sfu/simulcast.js';
import { TopologyCutover } from './TopologyCutover.js';
import { TopologyRetirement } from './TopologyRetirement.js';

/** A topology that can carry a room's media through an SFU ({@link SfuTopology} is one). */
export interface SfuCapableTopology extends MediaTopology {
  /** Publishes and subscribes, on fresh connections. */
  start(): void;
  /** The size of the tile a peer's video is shown in (null: not shown). */
  setTileSize(peerId: string, size: TileSize | null, devicePixelRatio?: number): void;
}

/** What a {@link SwitchingTopology} is made of. */
export interface SwitchingTopologyOptions {
  /** The room's context: the events of the room's peers go out through its `emit`. */
  context: TopologyContext;
  /** Makes the mesh. */
  createMesh: (context: TopologyContext) => MediaTopology;
  /** Makes the SFU topology. */
  createSfu: (context: TopologyContext) => SfuCapableTopology;
  /**
   * The longest a switch waits for the new topology's media to show, in ms, before it moves
   * the peers still waiting anyway and closes the old connections. Default 8000.
   */
  switchTimeoutMs?: number;
  /** How often a switch looks at the new topology's statistics for media, in ms. Default 100. */
  probeIntervalMs?: number;
  /**
   * The longest the old topology's connections stay open once we have moved every peer, in
   * ms, waiting for the others to say they have moved too (until then they may still show our
   * media on the old connections). Default 5000.
   */
  closeDelayMs?: number;
}

/** One topology the room uses, or is moving to. */
export interface TopologyMember {
  readonly mode: TopologyMode;
  topology: MediaTopology;
}

/**
 * The room's {@link MediaTopology}: a mesh or an SFU topology as the server decides, and the
 * move between them, make-before-break. It keeps one {@link RemotePeer} per participant whose
 * stream shows the tracks of the topology that carries that peer now, so a switch neither
 * makes nor loses peers: the new topology is set up beside the old one, each peer's tracks
 * are moved to the new ones once they show media ({@link TopologyCutover}), with a `track`
 * event, and the old connections are closed once every peer has moved.
 *
 * Messages go through the server (`message` frames) while the room is carried by an SFU or
 * moving between topologies; files need the mesh (`SFU_UNSUPPORTED` meanwhile).
 */
export class SwitchingTopology implements MediaTopology {
  readonly #options: SwitchingTopologyOptions;
  readonly #records = new Map<string, RemotePeerRecord>();
  /** The member each peer's tracks come from now. */
  readonly #sources = new Map<string, TopologyMember>();
  readonly #tiles = new Map<string, { size: TileSize | null; devicePixelRatio: number }>();
  /** Offers that came while no mesh was there to take them (the peer's switch outran ours). */
  readonly #heldOffers = new Map<string, SignalData>();
  #active: TopologyMember;
  #cutover: TopologyCutover | null = null;
  readonly #retirement: TopologyRetirement;
  #selfId = '';
  #ice: IceSettings | null = null;

  constructor(options: SwitchingTopologyOptions) {
    this.#options = options;
    this.#retirement = new TopologyRetirement({ peers: () => this.#records.keys(), maxWaitMs: options.closeDelayMs ?? 5_000 });
    this.#active = this.#create('mesh');
  }

  /** The peers, by id, in the order they came: the same objects whatever carries them. */
  get peers(): ReadonlyMap<string, RemotePeer> {
    return this.#records;
  }

  /** How the room carries media now, or is moving to. */
  get mode(): TopologyMode {
    return this.#cutover?.next.mode ?? this.#active.mode;
  }

  /** Whether a switch is under way. */
  get switching(): boolean {
    return this.#cutover !== null;
  }

  /**
   * Carries the room's media as `mode` from now on. With nobody to move, the new topology
   * simply replaces the old; else the switch is make-before-break. Asked back to where a
   * switch started from, the switch is undone: the peers moved go back to the old tracks.
   */
  setMode(mode: TopologyMode): void {
    const cutover = this.#cutover;
    if (cutover) {
      if (mode === cutover.next.mode) return;
      cutover.abort();
      this.#cutover = null;
      for (const id of this.#records.keys()) this.#moveTo(id, this.#active, true);
      cutover.next.topology.close();
      return;
    }
    if (mode === this.#active.mode) return;
    const next = this.#create(mode);
    this.#prepare(next);
    if (this.#records.size === 0) {
      this.#active.topology.close();
      this.#active = next;
      return;
    }
    this.#cutover = new TopologyCutover({
      next,
      peers: this.#records,
      isMoved: (id) => this.#sources.get(id) === next,
      move: (id) => this.#moveTo(id, next, true),
      done: () => this.#finish(next),
      timeoutMs: this.#options.switchTimeoutMs ?? 8_000,
      intervalMs: this.#options.probeIntervalMs ?? 100,
    });
    this.#cutover.start();
  }

  /** After a resume in an SFU room: publishes and subscribes again (the server ended our SFU connections). */
  restartSfu(): void {
    for (const member of this.#members()) if (member.mode === 'sfu') (member.topology as SfuCapableTopology).start();
  }

  /** Our own id, for every topology. */
  setSelfId(id: string): void {
    this.#selfId = id;
    for (const { topology } of this.#members()) topology.setSelfId(id);
  }

  /** The server's ICE settings, for every topology, present and future. */
  configureIce(settings: IceSettings): void {
    this.#ice = settings;
    for (const { topology } of this.#members()) topology.configureIce(settings);
  }

  /** A participant: a new record (`peer-joined`), or the known one updated (`peer-updated`). */
  addPeer(info: PeerInfo, initiator: boolean): void {
    const known = this.#records.get(info.id);
    if (known) {
      known.name = info.name;
      known.state = info.state;
    } else {
      this.#records.set(info.id, createRemotePeer(info, new this.#options.context.platform.MediaStream(), 'new'));
      // A newcomer comes straight to where the room is going.
      this.#sources.set(info.id, this.#cutover?.next ?? this.#active);
    }
    for (const { topology } of this.#members()) topology.addPeer(info, initiator);
    const record = this.#records.get(info.id) as RemotePeerRecord;
    this.#options.context.emit(known ? 'peer-updated' : 'peer-joined', record);
    if (!known) this.#moveTo(info.id, this.#sources.get(info.id) as TopologyMember);
  }

  /** A participant left: gone from every topology, with one `peer-left`. */
  removePeer(id: string, reason: LeaveReason): void {
    this.#heldOffers.delete(id);
    this.#tiles.delete(id);
    const record = this.#records.get(id);
    for (const { topology } of this.#members()) topology.removePeer(id, reason);
    if (!record) return;
    this.#records.delete(id);
    this.#sources.delete(id);
    this.#options.context.emit('peer-left', { peer: record, reason });
    this.#cutover?.check();
    this.#retirement.forget(id);
  }

  /** A participant's new name or media state. */
  updatePeer(info: PeerInfo): void {
    const record = this.#records.get(info.id);
    if (!record) return;
    record.name = info.name;
    record.state = info.state;
    for (const { topology } of this.#members()) topology.updatePeer(info);
    this.#options.context.emit('peer-updated', record);
  }

  /** A peer's signal, for the mesh (an offer is held while there is none yet). */
  routeSignal(from: string, data: SignalData): void {
    const mesh = this.#members().find((member) => member.mode === 'mesh');
    if (mesh) mesh.topology.routeSignal(from, data);
    else if (data.kind === 'description' && data.description.type === 'offer') this.#heldOffers.set(from, data);
  }

  /** Our new `kind` track, for every topology. */
  setLocalTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    for (const { topology } of this.#members()) topology.setLocalTrack(kind, track);
  }

  /** The mesh's data links; the server's relay in an SFU room or during a switch. */
  dataTargets(to: string | readonly string[] | undefined): PeerDataTarget[] {
    if (this.#active.mode === 'mesh' && !this.#cutover) return this.#active.topology.dataTargets(to);
    const ids = to === undefined ? [...this.#records.keys()] : typeof to === 'string' ? [to] : to;
    return ids.map((id) => {
      if (!this.#records.has(id)) throw new PonteError('UNKNOWN_PEER', `There is no peer ${id} in the room.`);
      return relayTarget(id, this.#options.context.relay);
    });
  }

  /**
   * A message relayed by the server (`message` frame): emitted as `message`, or `data-error`;
   * a peer's notice that it moved to another topology is the switch's own.
   */
  receiveMessage(from: string, data: unknown): void {
    const peer = this.#records.get(from);
    if (!peer) return;
    const moved = movedMode(data);
    if (moved) return this.#retirement.peerMoved(from, moved);
    try {
      this.#options.context.emit('message', { from: peer, data: openEnvelope(data), reliable: true });
    } catch (error) {
      if (error instanceof PonteError) this.#options.context.emit('data-error', { peer, error });
    }
  }

  /** What the server says about the SFU, for the SFU topology. */
  receive(news: SfuNews): void {
    for (const { topology } of this.#members()) topology.receive?.(news);
  }

  /** The size of the tile a peer is shown in (null: not shown): what an SFU sends us of its video. */
  setTileSize(peerId: string, size: TileSize | null, devicePixelRatio = 1): void {
    this.#tiles.set(peerId, { size, devicePixelRatio });
    for (const member of this.#members())
      if (member.mode === 'sfu') (member.topology as SfuCapableTopology).setTileSize(peerId, size, devicePixelRatio);
  }

  /** Statistics of the topology that carries the room. */
  stats(): Promise<PeerStats[]> {
    return this.#active.topology.stats();
  }

  /** How far each track of the topology that carries the room has got. */
  mediaProgress(): Promise<Map<string, number>> {
    return this.#active.topology.mediaProgress();
  }

  /** Closes everything, telling no peer. */
  close(): void {
    this.#cutover?.abort();
    for (const { topology } of this.#members()) topology.close();
    this.#retirement.closeNow();
    this.#cutover = null;
    this.#records.clear();
    this.#sources.clear();
    this.#heldOffers.clear();
  }

  #members(): TopologyMember[] {
    return this.#cutover ? [this.#active, this.#cutover.next] : [this.#active];
  }

  #create(mode: TopologyMode): TopologyMember {
    const { context, createMesh, createSfu } = this.#options;
    const member = { mode } as TopologyMember;
    const inner: TopologyContext = { ...context, emit: (name, payload) => this.#onInner(member, name, payload) };
    member.topology = mode === 'mesh' ? createMesh(inner) : createSfu(inner);
    return member;
  }

  /** Gives a new topology what the old one has: us, ICE, the peers, the tiles; then starts it. */
  #prepare(next: TopologyMember): void {
    const { topology } = next;
    topology.setSelfId(this.#selfId);
    if (this.#ice) topology.configureIce(this.#ice);
    for (const record of this.#records.values()) {
      // Everyone makes their mesh at once: in each pair, the impolite side offers.
      topology.addPeer({ id: record.id, name: record.name, state: record.state }, !isPolite(this.#selfId, record.id));
    }
    if (next.mode === 'sfu') {
      const sfu = topology as SfuCapableTopology;
      sfu.start();
      for (const [id, { size, devicePixelRatio }] of this.#tiles) sfu.setTileSize(id, size, devicePixelRatio);
    } else {
      for (const [from, offer] of this.#heldOffers) topology.routeSignal(from, offer);
    }
    this.#heldOffers.clear();
  }

  /** Every peer has moved (or the wait is over): the old topology's connections close. */
  #finish(next: TopologyMember): void {
    const old = this.#active.topology;
    this.#active = next;
    this.#cutover = null;
    this.#retirement.retire(old, next.mode);
  }

  /**
   * Shows a peer's tracks from `member` from now on, with a `track` event for each new one;
   * `tell`: in a switch, the peer is told we moved (it may close what carried us before).
   */
  #moveTo(id: string, member: TopologyMember, tell = false): void {
    const record = this.#records.get(id);
    if (!record) return;
    this.#sources.set(id, member);
    if (tell) this.#options.context.relay({ type: 'message', to: [id], data: movedNotice(member.mode) });
    const inner = member.topology.peers.get(id);
    for (const track of inner?.stream.getTracks() ?? []) this.#show(record, track);
    const state = inner?.connectionState ?? 'new';
    if (record.connectionState !== state) {
      record.connectionState = state;
      this.#options.context.emit('connection-state', { peer: record, state });
    }
  }

  #show(record: RemotePeerRecord, track: MediaStreamTrack): void {
    if (record.stream.getTrackById(track.id)) return;
    for (const old of record.stream.getTracks()) if (old.kind === track.kind) record.stream.removeTrack(old);
    record.stream.addTrack(track);
    this.#options.context.emit('track', { peer: record, track });
  }

  /** An event of one of our topologies, told to the room about our records. */
  #onInner<K extends keyof MediaTopologyEvents>(member: TopologyMember, name: K, payload: MediaTopologyEvents[K]): void {
    const { emit } = this.#options.context;
    const current = member === this.#active || member === this.#cutover?.next;
    if (!current) return;
    switch (name) {
      case 'peer-joined':
      case 'peer-left':
      case 'peer-updated':
        // The room's peers are ours: a topology's own comings and goings are not news.
        return;
      case 'error':
        // While a switch is under way, the old topology's connections are expected to fail.
        if (member === this.#active && this.#cutover) return;
        return emit('error', payload as MediaTopologyEvents['error']);
      case 'active-speakers': {
        const peers = (payload as MediaTopologyEvents['active-speakers']).peers.map((peer) => this.#records.get(peer.id));
        return emit('active-speakers', { peers: peers.filter((peer): peer is RemotePeerRecord => peer !== undefined) });
      }
      case 'message':
      case 'file-offer': {
        const event = payload as MediaTopologyEvents['message' | 'file-offer'];
        const from = this.#records.get(event.from.id);
        if (from) emit(name, { ...event, from } as MediaTopologyEvents[K]);
        return;
      }
    }
    const event = payload as MediaTopologyEvents['track' | 'connection-state' | 'data-error'];
    const record = this.#records.get(event.peer.id);
    if (!record) return;
    if (name === 'data-error') return emit('data-error', { ...(event as MediaTopologyEvents['data-error']), peer: record });
    // Tracks and states of a topology that does not carry the peer yet wait for the cutover.
    if (this.#sources.get(record.id) !== member) return;
    if (name === 'track') return this.#show(record, (event as MediaTopologyEvents['track']).track);
    const { state } = event as MediaTopologyEvents['connection-state'];
    record.connectionState = state;
    emit('connection-state', { peer: record, state });
  }
}
