/**
 * The media-topology seam: how our media and data reach the other participants of a room.
 * `Room` talks to a {@link MediaTopology} for everything about peers and never to a
 * connection itself, so that a mesh (one `RTCPeerConnection` per peer, the default) and a
 * forwarding server (SFU) can stand in for each other.
 * @packageDocumentation
 */
import type { IceServer, LeaveReason, PeerInfo, SignalData } from '@ponte/protocol';
import type { FileSender } from '../data/FileSender.js';
import type { IncomingFile } from '../data/IncomingFile.js';
import type { EncodedMessage } from '../data/EncodedMessage.js';
import type { JsonValue, SendOptions } from '../data/PeerData.js';
import type { PonteError } from '../errors/PonteError.js';
import type { Platform } from '../platform/Platform.js';
import type { RemotePeer } from '../room/RemotePeer.js';
import type { PeerStats } from '../stats/peerStats.js';
import type { SendRelayed } from '../data/RelayedMessages.js';
import type { SfuNews, SfuRequest } from './sfu/sfuFrames.js';

/** The kinds of media we send. */
export type MediaKind = 'audio' | 'video';

/** What a topology tells the room about its peers. */
export interface MediaTopologyEvents {
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
  /**
   * Who speaks now, loudest or latest first (empty: nobody). Only a room carried by an SFU
   * tells it for now (the SFU hears everyone's audio levels).
   */
  'active-speakers': { peers: RemotePeer[] };
  error: PonteError;
}

/** Our local media as a topology reads it (a `LocalMedia` is one). */
export interface LocalTracks {
  /** The stream whose id remote peers see on our tracks. */
  readonly stream: MediaStream;
  /** The track we send for `kind` now, or null. */
  track(kind: MediaKind): MediaStreamTrack | null;
}

/** ICE settings from the server: its STUN/TURN servers and the room's transport policy. */
export interface IceSettings {
  iceServers: IceServer[];
  /** `relay` when the room connects through TURN only; undefined: no policy from the server. */
  iceTransportPolicy?: RTCIceTransportPolicy | undefined;
}

/** Where messages and files for one peer go: its data link, whatever carries it. */
export interface PeerDataTarget {
  /** The peer the data goes to. */
  readonly peerId: string;
  /** Sends a message already encoded (once for all its recipients). */
  sendEncoded(message: EncodedMessage, options?: SendOptions): void;
  /** Offers `file` as the transfer `id` and streams it once accepted. */
  sendFile(file: Blob, options: { id?: string; name?: string }): FileSender;
}

/** What every topology is given by the room that owns it. */
export interface TopologyContext {
  /** Where connections and streams come from. */
  platform: Pick<Platform, 'RTCPeerConnection' | 'MediaStream'>;
  /** Our camera, microphone and screen. */
  local: LocalTracks;
  /** Sends signaling data to a peer, through the server. */
  signal: (to: string, data: SignalData) => void;
  /** Tells the room about its peers. */
  emit: <K extends keyof MediaTopologyEvents>(name: K, payload: MediaTopologyEvents[K]) => void;
  /** Sends a request about the SFU to the server (an SFU topology's publisher and subscriber). */
  sendSfu: (frame: SfuRequest) => void;
  /** Sends a message through the server (its `message` frame), where there is no peer-to-peer link. */
  relay: SendRelayed;
}

/**
 * How our media and data reach the other participants, and theirs reach us. The room tells
 * it who is there (from the signaling server) and what we send; it keeps a
 * {@link RemotePeer} per participant and reports on them through
 * {@link TopologyContext.emit}. One instance serves one room and is closed with it.
 */
export interface MediaTopology {
  /** The other participants, by id, in the order they were added. */
  readonly peers: ReadonlyMap<string, RemotePeer>;
  /** Our own peer id (new after a rejoin); set before any peer is added. */
  setSelfId(id: string): void;
  /** Applies the server's ICE settings to every connection, present and future. */
  configureIce(settings: IceSettings): void;
  /**
   * A participant to connect to (`initiator`: we are the newcomer and open the negotiation).
   * A peer already present is only updated. Emits `peer-joined` or `peer-updated`.
   */
  addPeer(info: PeerInfo, initiator: boolean): void;
  /** A participant left: closes what connects us and emits `peer-left`. Unknown ids are ignored. */
  removePeer(id: string, reason: LeaveReason): void;
  /** A participant's new name or media state; emits `peer-updated`. */
  updatePeer(info: PeerInfo): void;
  /** Signaling data from a peer, relayed by the server. */
  routeSignal(from: string, data: SignalData): void;
  /** Sends `track` as our `kind` track (null: none), to everyone. */
  setLocalTrack(kind: MediaKind, track: MediaStreamTrack | null): void;
  /** The data links to the peers `to` names (all when undefined); throws `UNKNOWN_PEER` for a stranger. */
  dataTargets(to: string | readonly string[] | undefined): PeerDataTarget[];
  /** Statistics of our connection to each peer; rates cover the time since the previous call. */
  stats(): Promise<PeerStats[]>;
  /**
   * How far each track we receive has got (frames decoded for video, packets for audio), by
   * track id: how a switch of topology sees that new tracks show media.
   */
  mediaProgress(): Promise<Map<string, number>>;
  /** What the server says about the SFU (only an SFU topology listens; others ignore it). */
  receive?(news: SfuNews): void;
  /** Closes everything, telling no peer (we are the one leaving). */
  close(): void;
}

/** Makes a topology for a room. */
export type MediaTopologyFactory = (context: TopologyContext) => MediaTopology;
