import type { JoinedFrame, MediaState, TopologyMode } from '@ponte/protocol';
import { nameOfBlob, newTransferId } from '../data/dataMessages.js';
import { OutgoingFile } from '../data/OutgoingFile.js';
import { EncodedMessage, type MessageData } from '../data/EncodedMessage.js';
import { PonteError } from '../errors/PonteError.js';
import { TypedEmitter } from '../events/TypedEmitter.js';
import { browserPlatform } from '../platform/browserPlatform.js';
import { overridePlatform } from '../platform/Platform.js';
import { RoomConnection, type RoomConnectionEvents } from '../signaling/RoomConnection.js';
import { SignalClient } from '../signaling/SignalClient.js';
import { abortable } from '../signaling/timeouts.js';
import type { PeerStats } from '../stats/peerStats.js';
import { meshTopology } from '../topology/mesh/PeerMesh.js';
import type { PeerDataTarget } from '../topology/MediaTopology.js';
import { sfuTopology } from '../topology/sfu/SfuTopology.js';
import type { TileSize } from '../topology/sfu/simulcast.js';
import { SwitchingTopology } from '../topology/SwitchingTopology.js';
import { ALL_PERMISSIONS, readJoinToken, type JoinPermissions, type JoinTokenInfo } from './joinToken.js';
import { LocalMedia, type MediaRequest } from './LocalMedia.js';
import type { RemotePeer } from './RemotePeer.js';
import { PeerRoster } from './PeerRoster.js';
import { DEFAULT_PEER_RETURN_TIMEOUT_MS } from './ReturningPeers.js';
import type { JoinOptions, RoomEvents, RoomOptions, RoomSendOptions, SelfInfo } from './RoomOptions.js';

export type { RemotePeer } from './RemotePeer.js';
export type { JoinOptions, RoomEvents, RoomOptions, RoomSendOptions, SelfInfo } from './RoomOptions.js';

type RoomPhase = 'idle' | 'joining' | 'joined' | 'closed';

/**
 * A conference: joins a room through the signaling server and sends our camera, microphone
 * and screen to every other participant, through a {@link MediaTopology}: a mesh (one
 * connection per peer), or the server's SFU when the server says the room is too large for
 * one; the move between them is make-before-break ({@link SwitchingTopology}) and keeps the
 * same {@link RemotePeer}s. This is the API applications use.
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
  readonly #topology: SwitchingTopology;
  readonly #roster: PeerRoster;
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
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    });
    this.#connection = new RoomConnection(
      client,
      () => ({
        room: options.room,
        name: this.#self?.name ?? options.name,
        state: this.local.state,
        ...(options.password === undefined ? {} : { password: options.password }),
        ...(options.token === undefined ? {} : { token: options.token }),
      }),
      options.answerTimeoutMs === undefined ? {} : { answerTimeoutMs: options.answerTimeoutMs },
    );
    this.#connection.on('relayed', (frame) => this.#roster.relayed(frame));
    this.#connection.on('restored', (restored) => this.#onRestored(restored));
    this.#connection.on('topology', ({ mode }) => this.#switchTo(mode));
    this.#connection.on('sfu', (news) => this.#topology.receive(news));
    this.#connection.on('message', ({ from, data }) => this.#topology.receiveMessage(from, data));
    this.#connection.on('refresh', ({ iceServers }) => this.#roster.refresh(iceServers));
    this.#connection.on('reconnecting', ({ attempt, delayMs }) => this.emit('reconnecting', { attempt, delayMs }));
    this.#connection.on('error', (error) => this.emit('error', error));
    this.#connection.on('closed', ({ error }) => {
      if (this.#phase !== 'joined') return;
      this.#teardown();
      if (error) this.emit('error', error);
      this.emit('closed', error ? { reason: 'connection lost', error } : { reason: 'closed' });
    });
    this.local = new LocalMedia(undefined, platform);
    this.#topology = new SwitchingTopology({
      context: {
        platform,
        local: this.local,
        signal: (to, data) => this.#connection.signal(to, data),
        emit: (name, payload) => this.emit(name, payload as RoomEvents[typeof name]),
        sendSfu: (frame) => this.#connection.sendSfu(frame),
        relay: (frame) => this.#connection.relay(frame),
      },
      createMesh: meshTopology({
        ...(options.rtcConfig ? { rtcConfig: options.rtcConfig } : {}),
        ...(options.data ? { data: options.data } : {}),
        ...(options.bitrateBudget ? { bitrateBudget: options.bitrateBudget } : {}),
      }),
      createSfu: sfuTopology({
        ...(options.rtcConfig ? { rtcConfig: options.rtcConfig } : {}),
        ...(options.simulcast ? { simulcast: options.simulcast } : {}),
      }),
      ...(options.switchTimeoutMs === undefined ? {} : { switchTimeoutMs: options.switchTimeoutMs }),
    });
    this.#roster = new PeerRoster(this.#topology, options.peerReturnTimeoutMs ?? DEFAULT_PEER_RETURN_TIMEOUT_MS);
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
   * How the room carries media now (or is moving to): `mesh`, peer to peer, or `sfu`, through
   * the server's forwarding unit. The server decides, by the room's size; see the `topology` event.
   */
  get topology(): TopologyMode {
    return this.#topology.mode;
  }

  /**
   * Tells the SDK how large a peer's video is shown (in CSS pixels; null or 0 by 0: not shown),
   * so that in a room carried by an SFU it receives the simulcast layer that fills the tile,
   * and nothing for a tile out of sight. Remembered across switches; no effect in a mesh.
   */
  setTileSize(peerId: string, size: TileSize | null, devicePixelRatio = 1): void {
    this.#topology.setTileSize(peerId, size, devicePixelRatio);
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
   * `ROOM_FULL`, `CONNECTION_FAILED`, `TIMEOUT`, or `ABORTED` when `options.signal` aborts
   * it, after releasing the devices and closing the connection.
   */
  async join(media: MediaRequest = { audio: true, video: true }, options: JoinOptions = {}): Promise<SelfInfo> {
    if (this.#phase !== 'idle') throw PonteError.invalidState('This room was already joined; create a new Room to join again.');
    this.#phase = 'joining';
    const abort = abortable('join', options.signal);
    try {
      if (options.signal?.aborted) throw PonteError.aborted('join', options.signal.reason);
      // Never capture what the token does not let us publish: the server would refuse the join.
      const allowed = this.permissions;
      const wanted: MediaRequest = {
        ...media,
        audio: allowed.publishAudio ? media.audio : false,
        video: allowed.publishVideo ? media.video : false,
      };
      if (wanted.audio !== false || wanted.video !== false) await abort.race(this.#capture(wanted));
      return this.#enter(await abort.race(this.#connection.open()));
    } catch (error) {
      this.#teardown();
      throw error;
    } finally {
      abort.dispose();
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
   * Sends `data`: a JSON value, or bytes. In a mesh it goes peer to peer (never through the
   * server), reliable and ordered by default, `{ reliable: false }` for real-time data. In a
   * room carried by an SFU (and while switching) the server relays it (`message` frames: always
   * reliable, at most `LIMITS.messageDataLength` characters of JSON, bytes in base64, else
   * `MESSAGE_TOO_LARGE`). Throws `UNKNOWN_PEER` for a `to` not in the room, and the errors of
   * {@link PeerData.send}.
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
   * nobody to send to, and `SFU_UNSUPPORTED` in a room carried by an SFU (files need the
   * peer-to-peer links of a mesh).
   */
  sendFile(file: Blob, options: { to?: string | readonly string[]; name?: string } = {}): OutgoingFile {
    const targets = this.#targets(options.to);
    if (targets.length === 0) throw PonteError.invalidState('There is nobody in the room to send the file to.');
    const id = newTransferId();
    const name = options.name ?? nameOfBlob(file);
    return new OutgoingFile(
      id,
      name,
      file,
      targets.map((target) => target.sendFile(file, { id, name })),
    );
  }

  /** Changes our display name. */
  setName(name: string): void {
    if (this.#self) this.#self.name = name;
    this.#connection.update({ name });
  }

  /**
   * Starts local media. A capture cannot be cancelled: when the room closed meanwhile (the
   * join was aborted, or we left), what it brings is released as soon as it lands.
   */
  #capture(request: MediaRequest): Promise<void> {
    const started = this.local.start(request);
    started.then(
      () => {
        if (this.#phase === 'closed') this.local.stop();
      },
      () => undefined,
    );
    return started;
  }

  #enter(joined: JoinedFrame): SelfInfo {
    this.#phase = 'joined';
    // A join token's name replaces ours on the server.
    this.#self = { id: joined.self, name: this.#invitation?.name ?? this.#options.name };
    this.#roster.enter(joined);
    this.#switchTo(joined.topology ?? 'mesh');
    const self = this.self as SelfInfo;
    this.emit('joined', self);
    this.#roster.meet(joined.peers);
    return self;
  }

  /** Back on the signaling server after a lost connection. */
  #onRestored(restored: RoomConnectionEvents['restored']): void {
    const { frame } = restored;
    const fresh = restored.kind === 'rejoined' || restored.frame.lapsed;
    // Rejoined as a new peer: our id is new.
    if (fresh && this.#self) this.#self.id = frame.self;
    const mode = frame.topology ?? 'mesh';
    // The server ended our SFU connections with the lost socket: publish and subscribe again.
    if (mode === 'sfu' && this.#topology.mode === 'sfu') this.#topology.restartSfu();
    this.#switchTo(mode);
    this.#roster.restored(frame, fresh);
    this.emit('reconnected', { resumed: !fresh });
  }

  /** The server says how the room carries media: the topology moves there, make-before-break. */
  #switchTo(mode: TopologyMode): void {
    if (mode === this.#topology.mode) return;
    this.#topology.setMode(mode);
    this.emit('topology', { mode });
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
    this.#roster.close();
    this.local.stop();
    this.#connection.close();
  }
}
