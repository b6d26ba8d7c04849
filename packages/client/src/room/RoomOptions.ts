import type { MediaState, TopologyMode } from '@ponte/protocol';
import type { PeerDataOptions, SendOptions } from '../data/PeerData.js';
import type { PonteError } from '../errors/PonteError.js';
import type { MediaDevicesLike, Platform, WebSocketConstructor } from '../platform/Platform.js';
import type { ReconnectOptions } from '../signaling/backoff.js';
import type { BitrateBudget } from '../topology/mesh/bitrateBudget.js';
import type { MediaTopologyEvents } from '../topology/MediaTopology.js';
import type { SimulcastOptions } from '../topology/sfu/simulcast.js';
import type { LocalMedia } from './LocalMedia.js';

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
  /**
   * The server moves the room's media to a mesh or to its SFU; the peers stay the same, and
   * `track` events announce their new tracks as the switch (make-before-break) reaches them.
   */
  topology: { mode: TopologyMode };
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
   * How long the WebSocket to the server may take to open, in ms, before the attempt fails
   * (`CONNECTION_FAILED` with reason `'timeout'`; a reconnect attempt is retried). Default 10000.
   */
  connectTimeoutMs?: number;
  /**
   * How long the server may take to answer our join (or resume after a reconnect), in ms,
   * before it fails with `TIMEOUT` (an unanswered resume ends the room). Default 10000.
   */
  answerTimeoutMs?: number;
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
  /** The layers our video is sent in when the room goes through an SFU (see {@link SimulcastOptions}). */
  simulcast?: Partial<SimulcastOptions>;
  /**
   * When the room switches between a mesh and an SFU, the longest wait for a peer's new media
   * to show before its tile moves to it anyway, in ms. Default 8000.
   */
  switchTimeoutMs?: number;
}

/** Whom to send to: one peer id, several, or everyone in the room (the default). */
export interface RoomSendOptions extends SendOptions {
  to?: string | readonly string[];
}

/** How to join (see {@link Room.join}). */
export interface JoinOptions {
  /**
   * Aborts the join: it rejects with `ABORTED`, releases the devices and closes the
   * connection. No effect once the join has resolved (call `leave()` then).
   */
  signal?: AbortSignal;
}
