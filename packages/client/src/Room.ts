import {
  PROTOCOL_VERSION,
  type JoinedFrame,
  type LeaveReason,
  type MediaState,
  type PeerInfo,
  type ServerFrame,
  type SignalData,
} from '@ponte/protocol';
import { LocalMedia, type MediaDevicesLike, type MediaRequest } from './LocalMedia.js';
import { PeerSession, type MediaKind } from './PeerSession.js';
import { PonteError } from './PonteError.js';
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
}

interface PeerEntry extends RemotePeer {
  name: string;
  state: MediaState;
  connectionState: RTCPeerConnectionState;
  session: PeerSession;
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
  readonly #signal: SignalClient;
  readonly #peers = new Map<string, PeerEntry>();
  readonly #earlySignals = new Map<string, SignalData[]>();
  #self: { id: string; name: string } | null = null;
  #rtcConfig: RTCConfiguration = {};
  #phase: RoomPhase = 'idle';

  constructor(options: RoomOptions) {
    super();
    this.#options = options;
    this.#signal = new SignalClient(options.url, options.WebSocket);
    this.local = new LocalMedia(options.mediaDevices);
    this.local.on('track-changed', ({ kind, track }) => this.#sendTrack(kind, track));
    this.local.on('change', (state) => this.#onLocalChange(state));
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
      if (media.audio !== false || media.video !== false) await this.local.start(media);
      await this.#signal.connect();
      const joined = await this.#handshake();
      return this.#enter(joined);
    } catch (error) {
      this.#teardown();
      throw error;
    }
  }

  /** Leaves the room: closes every connection and releases every device. */
  leave(): void {
    if (this.#phase === 'closed') return;
    this.#signal.send({ type: 'leave' });
    this.#teardown();
    this.emit('closed', { reason: 'left' });
  }

  /** Turns our microphone on or off; the room sees the new state. */
  setMicrophone(on: boolean): Promise<void> {
    return this.local.setMicrophone(on);
  }

  /** Turns our camera on or off; the room sees the new state. */
  setCamera(on: boolean): Promise<void> {
    return this.local.setCamera(on);
  }

  /** Shares our screen in place of the camera, without renegotiating. */
  startScreenShare(): Promise<void> {
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

  /** Changes our display name. */
  setName(name: string): void {
    if (this.#self) this.#self.name = name;
    this.#signal.send({ type: 'update', name });
  }

  #handshake(): Promise<JoinedFrame> {
    return new Promise((resolve, reject) => {
      const offFrame = this.#signal.on('frame', (frame) => {
        if (frame.type === 'joined') {
          cleanup();
          resolve(frame);
        } else if (frame.type === 'error') {
          cleanup();
          reject(PonteError.fromFrame(frame));
        }
      });
      const offClose = this.#signal.on('close', ({ code, reason }) => {
        cleanup();
        reject(PonteError.connectionLost(code, reason));
      });
      const cleanup = (): void => {
        offFrame();
        offClose();
      };
      this.#signal.send({
        type: 'join',
        version: PROTOCOL_VERSION,
        room: this.#options.room,
        name: this.#options.name,
        state: this.local.state,
      });
    });
  }

  #enter(joined: JoinedFrame): SelfInfo {
    this.#phase = 'joined';
    this.#self = { id: joined.self, name: this.#options.name };
    this.#rtcConfig = { iceServers: joined.iceServers, ...this.#options.rtcConfig };
    this.#signal.on('frame', (frame) => this.#onFrame(frame));
    this.#signal.on('error', (error) => this.emit('error', error));
    this.#signal.on('close', ({ error }) => {
      if (this.#phase !== 'joined') return;
      this.#teardown();
      if (error) this.emit('error', error);
      this.emit('closed', error ? { reason: 'connection lost', error } : { reason: 'closed' });
    });
    const self = this.self as SelfInfo;
    this.emit('joined', self);
    // We are the newcomer to everyone already here: we open each negotiation.
    for (const info of joined.peers) this.#addPeer(info, true);
    return self;
  }

  #onFrame(frame: ServerFrame): void {
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
      case 'error':
        this.emit('error', PonteError.fromFrame(frame));
        break;
      case 'joined':
        this.emit('error', PonteError.protocol('a second "joined" frame'));
        break;
    }
  }

  #addPeer(info: PeerInfo, initiator: boolean): void {
    const self = this.#self;
    if (!self || this.#peers.has(info.id)) return;
    const session = new PeerSession({
      selfId: self.id,
      peerId: info.id,
      rtcConfig: this.#rtcConfig,
      initiator,
      localStream: this.local.stream,
      tracks: { audio: this.local.track('audio'), video: this.local.track('video') },
      sendSignal: (data) => this.#signal.send({ type: 'signal', to: info.id, data }),
    });
    const entry: PeerEntry = {
      id: info.id,
      name: info.name,
      state: info.state,
      stream: session.remoteStream,
      connectionState: session.connectionState,
      session,
    };
    this.#peers.set(info.id, entry);
    session.on('track', (track) => this.emit('track', { peer: entry, track }));
    session.on('connection-state', (state) => {
      entry.connectionState = state;
      this.emit('connection-state', { peer: entry, state });
    });
    session.on('error', (error) => this.emit('error', error));
    this.emit('peer-joined', entry);
    for (const data of this.#earlySignals.get(info.id) ?? []) void session.handleSignal(data);
    this.#earlySignals.delete(info.id);
  }

  #removePeer(id: string, reason: LeaveReason): void {
    const entry = this.#peers.get(id);
    this.#earlySignals.delete(id);
    if (!entry) return;
    this.#peers.delete(id);
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

  #sendTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    for (const entry of this.#peers.values()) {
      entry.session.setTrack(kind, track).catch((cause: unknown) => {
        this.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not send the new ${kind} track.`, { cause }));
      });
    }
  }

  #onLocalChange(state: MediaState): void {
    if (this.#phase === 'joined') this.#signal.send({ type: 'update', state });
    this.emit('local-media', this.local);
  }

  #teardown(): void {
    this.#phase = 'closed';
    for (const entry of this.#peers.values()) entry.session.close();
    this.#peers.clear();
    this.#earlySignals.clear();
    this.local.stop();
    this.#signal.close();
  }
}
