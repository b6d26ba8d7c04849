/**
 * The SFU seam: what the server needs from a selective forwarding unit to carry a room's media
 * when the room is too large for a mesh. The server brokers every request over its own
 * signaling (browsers never reach the SFU's API, only its media ports), so admission, room
 * passwords, join tokens and publish permissions apply to SFU rooms as to mesh rooms.
 * `@ponte/janus` implements it over Janus's VideoRoom plugin; the server core holds no Janus code.
 * @packageDocumentation
 */
import type { IceCandidate, PeerId, RoomId, SessionDescription } from '@ponte/protocol';

/** Which of a participant's two SFU connections a message is about. */
export type SfuLeg = 'publisher' | 'subscriber';

/** One forwarded stream in a participant's subscriber connection. */
export interface SfuStream {
  /** The media line of the subscriber connection that carries it. */
  mid: string;
  /** The participant whose stream it is. */
  peerId: PeerId;
  kind: 'audio' | 'video';
}

/** What a receiver asks of one stream it receives: its simulcast layer, or none at all. */
export interface SfuStreamRequest {
  mid: string;
  /** Simulcast layer, 0 (lowest) to 2 (highest); ignored for audio and unlayered video. */
  layer?: 0 | 1 | 2;
  /** Stop forwarding it (a tile not shown), or forward it again. */
  paused?: boolean;
}

/** What the SFU tells the server about a room, to pass on to its participants. */
export interface SfuBridgeEvents {
  /**
   * A participant's subscriber connection must be (re)negotiated: the SFU offers `offer` with
   * `streams` (after a publisher came or went, or on the first subscribe). The participant
   * answers with {@link SfuBridge.answerSubscriber}.
   */
  subscriberOffer: { room: RoomId; peerId: PeerId; offer: SessionDescription; streams: SfuStream[] };
  /** Who is speaking in a room now (the SFU's audio levels), loudest first; empty when nobody. */
  speaking: { room: RoomId; peerIds: PeerId[] };
  /** A participant's connection to the SFU is up, or failed. */
  connection: { room: RoomId; peerId: PeerId; leg: SfuLeg; state: 'up' | 'down' };
  /**
   * The SFU became unreachable (`available: false`: every SFU room lost its media) or is back
   * (`true`: participants republish and resubscribe).
   */
  availability: { available: boolean };
}

/** Receives a bridge event; must not throw. */
export type SfuEventHandler = <K extends keyof SfuBridgeEvents>(name: K, event: SfuBridgeEvents[K]) => void;

/** Rejected SFU requests carry one of these, and a message for people. */
export type SfuErrorReason = 'unavailable' | 'not-in-room' | 'rejected' | 'timeout';

/** An SFU request that failed. */
export class SfuError extends Error {
  override readonly name = 'SfuError';
  constructor(
    readonly reason: SfuErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A selective forwarding unit, brokered by the server. Rooms and participants are named by
 * their Ponte ids; how the SFU names them is the bridge's affair, but it must be the same on
 * every server process (several processes of one room use one SFU room). Every method rejects
 * with an {@link SfuError} when the request cannot be carried out.
 */
export interface SfuBridge {
  /** Registers the handler of the bridge's events. Called once, before anything else. */
  setEventHandler(handler: SfuEventHandler): void;
  /**
   * Publishes a participant's media: `offer` is its publisher connection's offer (sendonly
   * audio and video, video in up to three simulcast layers); resolves the SFU's answer. A
   * participant publishes at most once per room; a new offer renegotiates.
   */
  publish(room: RoomId, peerId: PeerId, offer: SessionDescription): Promise<SessionDescription>;
  /**
   * Subscribes a participant to every other publisher of the room, now and as they come; the
   * offer arrives as a `subscriberOffer` event.
   */
  subscribe(room: RoomId, peerId: PeerId): Promise<void>;
  /** The participant's answer to its latest `subscriberOffer`. */
  answerSubscriber(room: RoomId, peerId: PeerId, answer: SessionDescription): Promise<void>;
  /** Layers and pauses of the streams a participant receives. */
  configure(room: RoomId, peerId: PeerId, streams: SfuStreamRequest[]): Promise<void>;
  /** ICE candidates of one of the participant's connections; none: gathering is complete. */
  trickle(room: RoomId, peerId: PeerId, leg: SfuLeg, candidates: IceCandidate[]): Promise<void>;
  /** The participant leaves the SFU room: its publication and subscription end. Never rejects. */
  leave(room: RoomId, peerId: PeerId): Promise<void>;
  /** Whether the SFU is reachable now. */
  readonly available: boolean;
  /** Ends every session this process opened on the SFU. */
  close(): Promise<void>;
}
