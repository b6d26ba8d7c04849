import type { JoinedFrame, MediaState, PeerInfo } from '@ponte/protocol';
import { nameOfBlob, newTransferId } from '../data/dataMessages.js';
import { OutgoingFile } from '../data/OutgoingFile.js';
import { EncodedMessage, type MessageData, type PeerDataOptions, type SendOptions } from '../data/PeerData.js';
import { PonteError } from '../errors/PonteError.js';
import { TypedEmitter } from '../events/TypedEmitter.js';
import { browserPlatform } from '../platform/browserPlatform.js';
import { overridePlatform, type MediaDevicesLike, type Platform, type WebSocketConstructor } from '../platform/Platform.js';
import type { ReconnectOptions } from '../signaling/backoff.js';
import { RoomConnection, type RelayedFrame, type RoomConnectionEvents } from '../signaling/RoomConnection.js';
import { SignalClient } from '../signaling/SignalClient.js';
import type { PeerStats } from '../stats/peerStats.js';
import type { BitrateBudget } from '../topology/mesh/bitrateBudget.js';
import { meshTopology } from '../topology/mesh/PeerMesh.js';
import type { IceSettings, MediaTopology, MediaTopologyEvents, PeerDataTarget } from '../topology/MediaTopology.js';
import { ALL_PERMISSIONS, readJoinToken, type JoinPermissions, type JoinTokenInfo } from './joinToken.js';
import { LocalMedia, type MediaRequest } from './LocalMedia.js';
import type { RemotePeer } from './RemotePeer.js';
import { DEFAULT_PEER_RETURN_TIMEOUT_MS, ReturningPeers } from './ReturningPeers.js';

export type { RemotePeer } from './RemotePeer.js';

/** Ourselves, once joined. */
export interface SelfInfo {
  readonly id: string;
  readonly name: string;
  readonly state: MediaState;
}

/** Events of a {@link Room}: those of its peers, plus its own. */
export interface RoomEvents extends MediaTopologyEvents {
  joined: SelfInfo;
  'local-media': LocalMedia;
  /** The signaling connection was lost; calls go on peer to peer while it is retried. */
  reconnecting: { attempt: number; delayMs: number };
  /** The signaling connection is back: as the same peer, or (`resumed` false) as a new one. */
  reconnected: { resumed: boolean };
  /** The room is over for us: we left, or the connection was lost (`error` says why). */
  closed: { reason: string; error?: PonteError };
}

/** How to reach and enter a room. */
export interface RoomOptions {
  /** The signaling server's WebSocket URL, e.g. `wss://meet.example.org/ws`. */
  url: string;
  /** The room id (1-64 characters of `[A-Za-z0-9_-]`). */
  room: string;
  /** Our display name. */
  name: string;
  /** Extra `RTCPeerConnection` configuration; its `iceServers` replace the server's. */
  rtcConfig?: RTCConfiguration;
  /**
   * What the SDK needs from its host: `RTCPeerConnection`, `MediaStream`, `WebSocket` and
   * `mediaDevices`. Default {@link browserPlatform}, the page's own; a Node peer passes its own.
   */
  platform?: Platform;
  /** A WebSocket constructor that overrides the platform's. */
  WebSocket?: WebSocketConstructor;
  /** Media devices to capture from, overriding the platform's (a page's own by default). */
  mediaDevices?: MediaDevicesLike;
  /** Reconnection to the signaling server after a lost connection; `false` to end the room instead. */
  reconnect?: Partial<ReconnectOptions> | false;
  /**
   * After a resume, how long a peer the server does not list yet may take to come back
   * before it is taken as gone, in ms. Default 20000.
   */
  peerReturnTimeoutMs?: number;
  /** The room's password, when it has one (or to protect a room we create). */
  password?: string;
  /** A join token from the application, when the server requires one. */
  token?: string;
  /** Limits of peer-to-peer messages and tuning of file transfers. */
  data?: PeerDataOptions;
  /** How much video uplink to spend on all peers together (see {@link BitrateBudget}). */
  bitrateBudget?: Partial<BitrateBudget>;
}

/** Whom to send to: one peer id, several, or everyone in the room (the default). */
export interface RoomSendOptions extends SendOptions {
  to?: string | readonly string[];
}

type RoomPhase = 'idle' | 'joining' | 'joined' | 'closed';

/**
 * A conference: joins a room through the signaling server and sends our camera, microphone
 * and screen to every other participant, through a {@link MediaTopology} (a mesh, one
 * connection per peer). This is the API applications use.
 *
 * ```ts
 * const room = new Room({ url: 'wss://host/ws', room: 'standup', name: 'Ana' });
 * room.on('peer-joined', (peer) => show(peer.stream));
 * await room.join({ audio: true, video: true });
 * ```
 */
export class Room extends TypedEmitter<RoomEvents> {
  /** Our camera, microphone and screen. */
  readonly local: LocalMedia;
  readonly #options: RoomOptions;
  readonly #connection: RoomConnection;
  readonly #topology: MediaTopology;
  readonly #returning: ReturningPeers;
  /** The server's latest ICE settings (kept to apply refreshed TURN credentials over them). */
  #ice: IceSettings | null = null;
  /** What the join token says (read once: the token does not change), or null without one. */
  readonly #invitation: JoinTokenInfo | null;
  #self: { id: string; name: string } | null = null;
  #phase: RoomPhase = 'idle';

  constructor(options: RoomOptions) {
    super();
    this.#options = options;
    this.#invitation = options.token === undefined ? null : readJoinToken(options.token);
    const platform = overridePlatform(options.platform ?? browserPlatform(), {
      WebSocket: options.WebSocket,
      mediaDevices: options.mediaDevices,
    });
    const client = new SignalClient(options.url, {
      platform,
      ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    });
    this.#connection = new RoomConnection(client, () => ({
      room: options.room,
      name: this.#self?.name ?? options.name,
      state: this.local.state,
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.token === undefined ? {} : { token: options.token }),
    }));
    this.#connection.on('relayed', (frame) => this.#onRelayed(frame));
    this.#connection.on('restored', (restored) => this.#onRestored(restored));
    this.#connection.on('refresh', ({ iceServers }) => this.#configureIce({ iceServers, iceTransportPolicy: this.#ice?.iceTransportPolicy }));
    this.#connection.on('reconnecting', ({ attempt, delayMs }) => this.emit('reconnecting', { attempt, delayMs }));
    this.#connection.on('error', (error) => this.emit('error', error));
    this.#connection.on('closed', ({ error }) => {
      if (this.#phase !== 'joined') return;
      this.#teardown();
      if (error) this.emit('error', error);
      this.emit('closed', error ? { reason: 'connection lost', error } : { reason: 'closed' });
    });
    this.local = new LocalMedia(undefined, platform);
    const createTopology = meshTopology({
      ...(options.rtcConfig ? { rtcConfig: options.rtcConfig } : {}),
      ...(options.data ? { data: options.data } : {}),
      ...(options.bitrateBudget ? { bitrateBudget: options.bitrateBudget } : {}),
    });
    this.#topology = createTopology({
      platform,
      local: this.local,
      signal: (to, data) => this.#connection.signal(to, data),
      emit: (name, payload) => this.emit(name, payload as RoomEvents[typeof name]),
    });
    this.#returning = new ReturningPeers(options.peerReturnTimeoutMs ?? DEFAULT_PEER_RETURN_TIMEOUT_MS, (id) =>
      this.#topology.removePeer(id, 'disconnected'),
    );
    this.local.on('track-changed', ({ kind, track }) => this.#topology.setLocalTrack(kind, track));
    this.local.on('change', (state) => this.#onLocalChange(state));
  }

  /**
   * What we may publish: from the join token's `permissions` when there is a token
   * (read without verification; the server enforces them), else everything.
   */
  get permissions(): JoinPermissions {
    return { ...(this.#invitation?.permissions ?? ALL_PERMISSIONS) };
  }

  /** Ourselves once joined, else null. */
  get self(): SelfInfo | null {
    return this.#self ? { ...this.#self, state: this.local.state } : null;
  }

  /** The other participants, by id. */
  get peers(): ReadonlyMap<string, RemotePeer> {
    return this.#topology.peers;
  }

  /**
   * Statistics of the connection to each peer: the selected candidate pair and its types
   * (host, srflx, relay), round-trip time, bitrates, and loss and jitter per track. Rates
   * cover the time since the previous call: call it at a steady interval.
   */
  getStats(): Promise<PeerStats[]> {
    return this.#topology.stats();
  }

  /**
   * Acquires local media (falling back to audio only or none, see `local.warning`), connects
   * and joins. Resolves with ourselves; rejects with a {@link PonteError} such as
   * `ROOM_FULL` or `CONNECTION_FAILED`, after releasing the devices.
   */
  async join(media: MediaRequest = { audio: true, video: true }): Promise<SelfInfo> {
    if (this.#phase !== 'idle') throw PonteError.invalidState('This room was already joined; create a new Room to join again.');
    this.#phase = 'joining';
    try {
      // Never capture what the token does not let us publish: the server would refuse the join.
      const allowed = this.permissions;
      const wanted: MediaRequest = {
        ...media,
        audio: allowed.publishAudio ? media.audio : false,
        video: allowed.publishVideo ? media.video : false,
      };
      if (wanted.audio !== false || wanted.video !== false) await this.local.start(wanted);
      return this.#enter(await this.#connection.open());
    } catch (error) {
      this.#teardown();
      throw error;
    }
  }

  /** Leaves the room: closes every connection and releases every device. */
  leave(): void {
    if (this.#phase === 'closed') return;
    this.#connection.leave();
    this.#teardown();
    this.emit('closed', { reason: 'left' });
  }

  /** Turns our microphone on or off; the room sees the new state. */
  setMicrophone(on: boolean): Promise<void> {
    if (on && !this.permissions.publishAudio) return Promise.reject(Room.#forbidden('microphone'));
    return this.local.setMicrophone(on);
  }

  /** Turns our camera on or off; the room sees the new state. */
  setCamera(on: boolean): Promise<void> {
    if (on && !this.permissions.publishVideo) return Promise.reject(Room.#forbidden('camera'));
    return this.local.setCamera(on);
  }

  /** Shares our screen in place of the camera, without renegotiating. */
  startScreenShare(): Promise<void> {
    if (!this.permissions.shareScreen) return Promise.reject(Room.#forbidden('screen'));
    return this.local.startScreenShare();
  }

  /** Stops sharing and goes back to the camera. */
  async stopScreenShare(): Promise<void> {
    this.local.stopScreenShare();
  }

  /** Uses another microphone or camera. */
  switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    return this.local.switchDevice(kind, deviceId);
  }

  /**
   * Sends `data` peer to peer (never through the server): a JSON value, or bytes. Reliable
   * and ordered by default; `{ reliable: false }` for real-time data. Throws `UNKNOWN_PEER`
   * for a `to` not in the room, and the errors of {@link PeerData.send}.
   */
  send(data: MessageData, options: RoomSendOptions = {}): void {
    const targets = this.#targets(options.to);
    // Serialized once, not once per peer: a JSON message to everyone costs one stringify.
    const message = new EncodedMessage(data);
    for (const target of targets) target.sendEncoded(message, options);
  }

  /**
   * Offers `file` to one peer, several, or everyone, and streams it to each who accepts.
   * The file is read a block at a time, never whole. Throws `INVALID_STATE` when there is
   * nobody to send to.
   */
  sendFile(file: Blob, options: { to?: string | readonly string[]; name?: string } = {}): OutgoingFile {
    const targets = this.#targets(options.to);
    if (targets.length === 0) throw PonteError.invalidState('There is nobody in the room to send the file to.');
    const id = newTransferId();
    const name = options.name ?? nameOfBlob(file);
    return new OutgoingFile(id, name, file, targets.map((target) => target.sendFile(file, { id, name })));
  }

  /** Changes our display name. */
  setName(name: string): void {
    if (this.#self) this.#self.name = name;
    this.#connection.update({ name });
  }

  #enter(joined: JoinedFrame): SelfInfo {
    this.#phase = 'joined';
    // A join token's name replaces ours on the server.
    this.#self = { id: joined.self, name: this.#invitation?.name ?? this.#options.name };
    this.#topology.setSelfId(joined.self);
    this.#configureIce({ iceServers: joined.iceServers, iceTransportPolicy: joined.iceTransportPolicy });
    const self = this.self as SelfInfo;
    this.emit('joined', self);
    // We are the newcomer to everyone already here: we open each negotiation.
    for (const info of joined.peers) this.#topology.addPeer(info, true);
    return self;
  }

  /** Back on the signaling server after a lost connection. */
  #onRestored(restored: RoomConnectionEvents['restored']): void {
    const { frame } = restored;
    this.#configureIce({ iceServers: frame.iceServers, iceTransportPolicy: frame.iceTransportPolicy });
    const fresh = restored.kind === 'rejoined' || restored.frame.lapsed;
    if (fresh) {
      // The room had let us go: everyone's connection to us is gone; start over as a newcomer.
      if (this.#self) this.#self.id = frame.self;
      this.#topology.setSelfId(frame.self);
      this.#returning.clear();
      for (const id of [...this.#topology.peers.keys()]) this.#topology.removePeer(id, 'disconnected');
      for (const info of frame.peers) this.#topology.addPeer(info, true);
    } else {
      this.#expectBack(frame.peers);
    }
    this.emit('reconnected', { resumed: !fresh });
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

  #configureIce(settings: IceSettings): void {
    this.#ice = settings;
    this.#topology.configureIce(settings);
  }

  #onRelayed(frame: RelayedFrame): void {
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

  #targets(to: string | readonly string[] | undefined): PeerDataTarget[] {
    if (this.#phase !== 'joined') throw PonteError.invalidState('Join the room before sending data.');
    return this.#topology.dataTargets(to);
  }

  #onLocalChange(state: MediaState): void {
    if (this.#phase === 'joined') this.#connection.update({ state });
    this.emit('local-media', this.local);
  }

  static #forbidden(what: 'microphone' | 'camera' | 'screen'): PonteError {
    return new PonteError('FORBIDDEN', `Your invitation does not allow sharing your ${what}.`);
  }

  #teardown(): void {
    this.#phase = 'closed';
    this.#returning.clear();
    this.#topology.close();
    this.local.stop();
    this.#connection.close();
  }
}
