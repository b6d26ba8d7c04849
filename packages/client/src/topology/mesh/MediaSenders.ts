import type { MediaKind } from '../MediaTopology.js';

/** The kinds of media a connection sends, in the order their transceivers are made. */
export const MEDIA_KINDS: readonly MediaKind[] = ['audio', 'video'];

/** What {@link MediaSenders} needs. */
export interface MediaSendersOptions {
  /** The stream whose id the remote peer sees on our tracks. */
  localStream: MediaStream;
  /** The tracks to send at first, per kind (null: receive only for now). */
  tracks: Record<MediaKind, MediaStreamTrack | null>;
  /** A track could not be swapped in on the answering side (the session reports it). */
  onAttachFailed: (kind: MediaKind, cause: unknown) => void;
}

/**
 * The transceivers one connection sends our audio and video on, one per kind, and the track
 * each should carry. The initiator makes them for its first offer; the answering side
 * reuses those the first remote offer made, so one offer/answer sends both ways.
 */
export class MediaSenders {
  readonly #pc: RTCPeerConnection;
  readonly #options: MediaSendersOptions;
  readonly #transceivers = new Map<MediaKind, RTCRtpTransceiver>();
  readonly #tracks: Record<MediaKind, MediaStreamTrack | null>;

  constructor(pc: RTCPeerConnection, options: MediaSendersOptions) {
    this.#pc = pc;
    this.#options = options;
    this.#tracks = { ...options.tracks };
  }

  /** The sender of `kind`, once there is one. */
  sender(kind: MediaKind): RTCRtpSender | undefined {
    return this.#transceivers.get(kind)?.sender;
  }

  /** Makes a transceiver for `kind`: `sendrecv` with our track, else `recvonly`. */
  add(kind: MediaKind): void {
    const track = this.#tracks[kind];
    const transceiver = this.#pc.addTransceiver(track ?? kind, {
      direction: track ? 'sendrecv' : 'recvonly',
      streams: [this.#options.localStream],
    });
    this.#transceivers.set(kind, transceiver);
  }

  /**
   * Sends `track` as our `kind` track, or stops sending that kind with null. Swaps tracks
   * with `replaceTrack`, so switching devices or to a screen share costs no renegotiation;
   * only a first track on a receive-only connection renegotiates. `initiator`: whether this
   * side makes transceivers itself (else the track waits for the first remote offer).
   */
  async setTrack(kind: MediaKind, track: MediaStreamTrack | null, initiator: boolean): Promise<void> {
    this.#tracks[kind] = track;
    const transceiver = this.#transceivers.get(kind);
    if (!transceiver) {
      // Not yet negotiated (we answer the first offer): the track is attached then.
      if (!initiator) return;
      this.add(kind);
      return;
    }
    if (track && transceiver.direction !== 'sendrecv') transceiver.direction = 'sendrecv';
    await transceiver.sender.replaceTrack(track);
  }

  /**
   * On the answering side, reuses the transceivers the first offer created for our own
   * tracks, so the answer sends both ways without a second negotiation. The answer depends
   * on each transceiver's direction, not on its track, so the tracks are swapped in without
   * waiting: awaiting each `replaceTrack` put two round trips to WebRTC's thread between the
   * remote offer and our answer (about 15 ms on a 2-core machine; `npm run bench:setup`).
   */
  attachToOffer(): void {
    for (const kind of MEDIA_KINDS) {
      if (this.#transceivers.has(kind)) continue;
      const transceiver = this.#pc
        .getTransceivers()
        .find((t) => t.receiver.track.kind === kind && t.mid !== null && !t.sender.track && !this.#isOurs(t));
      if (!transceiver) continue;
      this.#transceivers.set(kind, transceiver);
      transceiver.sender.setStreams(this.#options.localStream);
      const track = this.#tracks[kind];
      if (track) {
        transceiver.direction = 'sendrecv';
        transceiver.sender.replaceTrack(track).catch((cause: unknown) => this.#options.onAttachFailed(kind, cause));
      }
    }
  }

  #isOurs(transceiver: RTCRtpTransceiver): boolean {
    return [...this.#transceivers.values()].includes(transceiver);
  }
}
