import type { SignalData } from '@ponte/protocol';
import type { PonteError } from '../../errors/PonteError.js';
import type { PeerConnectionConstructor, Platform } from '../../platform/Platform.js';
import type { MediaKind } from '../MediaTopology.js';

/** Events of a {@link PeerSession}. */
export interface PeerSessionEvents {
  /** A remote track arrived (it is also added to {@link PeerSession.remoteStream}). */
  track: MediaStreamTrack;
  /** `RTCPeerConnection.connectionState` changed. */
  'connection-state': RTCPeerConnectionState;
  /** A negotiation step failed; the session keeps going. */
  error: PonteError;
}

/** What a {@link PeerSession} needs, passed in so it can be built and tested alone. */
export interface PeerSessionOptions {
  selfId: string;
  peerId: string;
  /** Configuration for the `RTCPeerConnection` (ICE servers, transport policy). */
  rtcConfig: RTCConfiguration;
  /** Sends signaling data to the remote peer (through the server, or any other channel). */
  sendSignal: (data: SignalData) => void;
  /**
   * Whether this side opens the negotiation. The newcomer of a pair initiates, so a normal
   * join costs one offer/answer; perfect negotiation still resolves any collision.
   */
  initiator: boolean;
  /** The local stream whose id remote peers see on our tracks. */
  localStream: MediaStream;
  /** The tracks to send at first, per kind (null: receive only for now). */
  tracks: Record<MediaKind, MediaStreamTrack | null>;
  /**
   * How long a `disconnected` connection may stay so before an ICE restart, in ms. Default
   * 4000. Only the impolite side restarts by itself; see {@link IceRestartPolicy}.
   */
  disconnectedRestartMs?: number;
  /**
   * After an ICE restart, how long to wait for `connected` before restarting again, in ms
   * (the checks of a restart made while the path was down back off; a fresh one succeeds
   * at once when the path is back). Default 5000. The polite side restarts by itself only
   * after twice this long without an offer from the impolite side.
   */
  restartRetryMs?: number;
  /**
   * Whether candidates are sent one by one as they are found (trickle ICE). Default true.
   * With false (copy-and-paste signaling, where every message costs a human step), no
   * candidate is sent alone: each description is sent once ICE gathering completes, with
   * every candidate inside it.
   */
  trickle?: boolean;
  /** With `trickle: false`, the longest wait for ICE gathering before sending anyway, in ms. Default 10000. */
  gatheringTimeoutMs?: number;
  /** Where `RTCPeerConnection` and `MediaStream` come from. Default {@link browserPlatform}. */
  platform?: Pick<Platform, 'RTCPeerConnection' | 'MediaStream'>;
  /** An `RTCPeerConnection` constructor that overrides the platform's. */
  PeerConnection?: PeerConnectionConstructor;
}
