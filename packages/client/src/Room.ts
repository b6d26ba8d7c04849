import {
  type IceServer,
  type JoinedFrame,
  type LeaveReason,
  type MediaState,
  type PeerInfo,
  type SignalData,
} from '@ponte/protocol';
import type { ReconnectOptions } from './backoff.js';
import { RoomConnection, type RelayedFrame, type RoomConnectionEvents } from './RoomConnection.js';
import { nameOfBlob, newTransferId } from './dataMessages.js';
import type { IncomingFile } from './IncomingFile.js';
import { LocalMedia, type MediaDevicesLike, type MediaRequest } from './LocalMedia.js';
import { OutgoingFile } from './OutgoingFile.js';
import { PeerData, type JsonValue, type MessageData, type PeerDataOptions, type SendOptions } from './PeerData.js';
import { PeerSession, type MediaKind } from './PeerSession.js';
import { PonteError } from './PonteError.js';
import { ALL_PERMISSIONS, readJoinToken, type JoinPermissions } from './joinToken.js';
import { SignalClient, type WebSocketConstructor } from './SignalClient.js';
import { TypedEmitter } from './TypedEmitter.js';

/** A participant other than us, as the room sees them. Updated in place. */
export interface RemotePeer {
  readonly id: string;
  readonly name: string;
  readonly state: MediaState;
  /** Their audio and video, ready for a `<video>` element. Grows as tracks arrive. */
  readonly stream: MediaStream;
  readonly connectionState: RTCPeerConnectionState;
}

/** Ourselves, once joined. */
export interface SelfInfo {
  readonly id: string;
  readonly name: string;
  readonly state: MediaState;
}

/** Events of a {@link Room}. */
export interface RoomEvents {
  joined: SelfInfo;
  'peer-joined': RemotePeer;
  'peer-left': { peer: RemotePeer; reason: LeaveReason };
  'peer-updated': RemotePeer;
  track: { peer: RemotePeer; track: MediaStreamTrack };
  'connection-state': { peer: RemotePeer; state: RTCPeerConnectionState };
  'local-media': LocalMedia;
  /** A message from a peer, sent peer to peer: JSON as sent, or bytes as an `ArrayBuffer`. */
  message: { from: RemotePeer; data: JsonValue | ArrayBuffer; reliable: boolean };
  /** A peer offers us a file: `file.accept()` or `file.decline()`. */
  'file-offer': { from: RemotePeer; file: IncomingFile };
  /** A peer sent data we refused (`BAD_PEER_DATA`); the room and that peer's link go on. */
  'data-error': { peer: RemotePeer; error: PonteError };
  /** The signaling connection was lost; calls go on peer to peer while it is retried. */
  reconnecting: { attempt: number; delayMs: number };
  /** The signaling connection is back: as the same peer, or (`resumed` false) as a new one. */
  reconnected: { resumed: boolean };
  error: PonteError;
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
  /** The WebSocket constructor (for non-browser environments). */
  WebSocket?: WebSocketConstructor;
  /** Media devices to capture from (defaults to `navigator.mediaDevices`). */
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
}

/** Whom to send to: one peer id, several, or everyone in the room (the default). */
export interface RoomSendOptions extends SendOptions {
  to?: string | readonly string[];
}

interface PeerEntry extends RemotePeer {
  name: string;
  state: MediaState;
  connectionState: RTCPeerConnectionState;
  session: PeerSession;
  data: PeerData;
}

type RoomPhase = 'idle' | 'joining' | 'joined' | 'closed';

/** Most signals held for a peer we have not been introduced to yet. */
const EARLY_SIGNAL_LIMIT = 64;

/**
 * A mesh conference: joins a room through the signaling server, keeps one
 * {@link PeerSession} per other participant, and sends our camera, microphone and screen to
 * all of them. This is the API applications use.
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
  readonly #returnTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #peers = new Map<string, PeerEntry>();
  readonly #earlySignals = new Map<string, SignalData[]>();
  #self: { id: string; name: string } | null = null;
  #rtcConfig: RTCConfiguration = {};
  #phase: RoomPhase = 'idle';

  constructor(options: RoomOptions) {
    super();
    this.#options = options;
    const client = new SignalClient(options.url, {
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
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
    this.#connection.on('refresh', ({ iceServers }) => this.#configure(iceServers, this.#rtcConfig.iceTransportPolicy));
    this.#connection.on('reconnecting', ({ attempt, delayMs }) => this.emit('reconnecting', { attempt, delayMs }));
    this.#connection.on('error', (error) => this.emit('error', error));
    this.#connection.on('closed', ({ error }) => {
      if (this.#phase !== 'joined') return;
      this.#teardown();
      if (error) this.emit('error', error);
      this.emit('closed', error ? { reason: 'connection lost', error } : { reason: 'closed' });
    });
    this.local = new LocalMedia(options.mediaDevices);
    this.local.on('track-changed', ({ kind, track }) => this.#sendTrack(kind, track));
    this.local.on('change', (state) => this.#onLocalChange(state));
  }

  /**
   * What we may publish: from the join token's `permissions` when there is a token
   * (read without verification; the server enforces them), else everything.
   */
  get permissions(): JoinPermissions {
    return (this.#options.token === undefined ? null : readJoinToken(this.#options.token)?.permissions) ?? { ...ALL_PERMISSIONS };
  }

  /** Ourselves once joined, else null. */
  get self(): SelfInfo | null {
    return this.#self ? { ...this.#self, state: this.local.state } : null;
  }

  /** The other participants, by id. */
  get peers(): ReadonlyMap<string, RemotePeer> {
    return this.#peers;
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
    for (const entry of targets) entry.data.send(data, options);
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
    return new OutgoingFile(id, name, file, targets.map((entry) => entry.data.sendFile(file, { id, name })));
  }

  /** Changes our display name. */
  setName(name: string): void {
    if (this.#self) this.#self.name = name;
    this.#connection.update({ name });
  }

  #enter(joined: JoinedFrame): SelfInfo {
    this.#phase = 'joined';
    // A join token's name replaces ours on the server.
    const tokenName = this.#options.token === undefined ? undefined : readJoinToken(this.#options.token)?.name;
    this.#self = { id: joined.self, name: tokenName ?? this.#options.name };
    this.#configure(joined.iceServers, joined.iceTransportPolicy);
    const self = this.self as SelfInfo;
    this.emit('joined', self);
    // We are the newcomer to everyone already here: we open each negotiation.
    for (const info of joined.peers) this.#addPeer(info, true);
    return self;
  }

  /** Back on the signaling server after a lost connection. */
  #onRestored(restored: RoomConnectionEvents['restored']): void {
    const { frame } = restored;
    this.#configure(frame.iceServers, frame.iceTransportPolicy);
    const fresh = restored.kind === 'rejoined' || restored.frame.lapsed;
    if (fresh) {
      // The room had let us go: everyone's connection to us is gone; start over as a newcomer.
      if (this.#self) this.#self.id = frame.self;
      for (const id of [...this.#peers.keys()]) this.#removePeer(id, 'disconnected');
      for (const info of frame.peers) this.#addPeer(info, true);
    } else {
      // Peers the server does not list yet may still be resuming (after a server restart).
      const listed = new Set(frame.peers.map((peer) => peer.id));
      for (const id of this.#peers.keys()) if (!listed.has(id)) this.#awaitReturn(id);
      for (const info of frame.peers) this.#addPeer(info, false);
    }
    this.emit('reconnected', { resumed: !fresh });
  }

  #awaitReturn(id: string): void {
    clearTimeout(this.#returnTimers.get(id));
    const timer = setTimeout(() => {
      this.#returnTimers.delete(id);
      this.#removePeer(id, 'disconnected');
    }, this.#options.peerReturnTimeoutMs ?? 20_000);
    this.#returnTimers.set(id, timer);
  }

  /** Applies ICE servers (fresh TURN credentials) and policy to every connection, present and future. */
  #configure(iceServers: IceServer[], policy: RTCIceTransportPolicy | undefined): void {
    this.#rtcConfig = { iceServers, ...(policy ? { iceTransportPolicy: policy } : {}), ...this.#options.rtcConfig };
    for (const entry of this.#peers.values()) entry.session.configure(this.#rtcConfig);
  }

  #onRelayed(frame: RelayedFrame): void {
    switch (frame.type) {
      case 'peer-joined':
        this.#addPeer(frame.peer, false);
        break;
      case 'peer-left':
        this.#removePeer(frame.peer, frame.reason);
        break;
      case 'peer-updated':
        this.#updatePeer(frame.peer);
        break;
      case 'signal':
        this.#routeSignal(frame.from, frame.data);
        break;
    }
  }

  #addPeer(info: PeerInfo, initiator: boolean): void {
    const self = this.#self;
    if (!self) return;
    const known = this.#peers.get(info.id);
    if (known) {
      // A peer we kept a connection to came back on the signaling server (after a restart).
      clearTimeout(this.#returnTimers.get(info.id));
      this.#returnTimers.delete(info.id);
      this.#updatePeer(info);
      return;
    }
    const session = new PeerSession({
      selfId: self.id,
      peerId: info.id,
      rtcConfig: this.#rtcConfig,
      initiator,
      localStream: this.local.stream,
      tracks: { audio: this.local.track('audio'), video: this.local.track('video') },
      sendSignal: (data) => this.#connection.signal(info.id, data),
    });
    // Created at once: on the initiator its channels must ride on the first offer.
    const data = new PeerData(session, info.id, this.#options.data);
    const entry: PeerEntry = {
      id: info.id,
      name: info.name,
      state: info.state,
      stream: session.remoteStream,
      connectionState: session.connectionState,
      session,
      data,
    };
    this.#peers.set(info.id, entry);
    session.on('track', (track) => this.emit('track', { peer: entry, track }));
    session.on('connection-state', (state) => {
      entry.connectionState = state;
      this.emit('connection-state', { peer: entry, state });
    });
    session.on('error', (error) => this.emit('error', error));
    data.on('message', ({ data: payload, reliable }) => this.emit('message', { from: entry, data: payload, reliable }));
    data.on('file-offer', (file) => this.emit('file-offer', { from: entry, file }));
    data.on('error', (error) => this.emit('data-error', { peer: entry, error }));
    this.emit('peer-joined', entry);
    for (const data of this.#earlySignals.get(info.id) ?? []) void session.handleSignal(data);
    this.#earlySignals.delete(info.id);
  }

  #removePeer(id: string, reason: LeaveReason): void {
    const entry = this.#peers.get(id);
    this.#earlySignals.delete(id);
    clearTimeout(this.#returnTimers.get(id));
    this.#returnTimers.delete(id);
    if (!entry) return;
    this.#peers.delete(id);
    entry.data.close('peer-left');
    entry.session.close();
    this.emit('peer-left', { peer: entry, reason });
  }

  #updatePeer(info: PeerInfo): void {
    const entry = this.#peers.get(info.id);
    if (!entry) return;
    entry.name = info.name;
    entry.state = info.state;
    this.emit('peer-updated', entry);
  }

  #routeSignal(from: string, data: SignalData): void {
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

  #targets(to: string | readonly string[] | undefined): PeerEntry[] {
    if (this.#phase !== 'joined') throw PonteError.invalidState('Join the room before sending data.');
    if (to === undefined) return [...this.#peers.values()];
    return (typeof to === 'string' ? [to] : to).map((id) => {
      const entry = this.#peers.get(id);
      if (!entry) throw new PonteError('UNKNOWN_PEER', `There is no peer ${id} in the room.`);
      return entry;
    });
  }

  #sendTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    for (const entry of this.#peers.values()) {
      entry.session.setTrack(kind, track).catch((cause: unknown) => {
        this.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not send the new ${kind} track.`, { cause }));
      });
    }
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
    for (const entry of this.#peers.values()) {
      entry.data.close('left');
      entry.session.close();
    }
    this.#peers.clear();
    this.#earlySignals.clear();
    this.local.stop();
    for (const timer of this.#returnTimers.values()) clearTimeout(timer);
    this.#returnTimers.clear();
    this.#connection.close();
  }
}
