import type { SfuDescription } from '@ponte/protocol';
import { PonteError } from '../../errors/PonteError.js';
import type { MediaKind } from '../MediaTopology.js';
import { SfuLeg, type SfuLegOptions } from './SfuLeg.js';
import { simulcastEncodings, type SimulcastOptions } from './simulcast.js';

/** What our publisher connection needs. */
export interface SfuPublisherOptions extends Omit<SfuLegOptions, 'leg'> {
  /** The stream whose id receivers see on our tracks. */
  localStream: MediaStream;
  /** The layers our video is sent in. */
  simulcast: SimulcastOptions;
  /** Publishing failed (the offer could not be made, the SFU refused it, or its answer was bad). */
  onError: (error: PonteError) => void;
}

/**
 * Our publisher connection to the SFU: our microphone and camera, send-only, the video in
 * three simulcast layers ({@link simulcastEncodings}). Negotiated with `sfu-publish` (our
 * offer) and `sfu-published` (the SFU's answer), one offer at a time: a change while an offer
 * waits for its answer is offered again once it is answered. A kind gets its transceiver when
 * it first has a track; later tracks of that kind are swapped in without a negotiation.
 */
export class SfuPublisher {
  readonly #leg: SfuLeg;
  readonly #options: SfuPublisherOptions;
  readonly #transceivers = new Map<MediaKind, RTCRtpTransceiver>();
  #awaitingAnswer = false;
  #again = false;

  constructor(options: SfuPublisherOptions) {
    this.#options = options;
    this.#leg = new SfuLeg({ ...options, leg: 'publisher' });
  }

  /** The connection, for statistics. */
  get connection(): RTCPeerConnection {
    return this.#leg.pc;
  }

  /** Publishes `tracks`, the kinds that have one (nothing is offered while none has). */
  start(tracks: Record<MediaKind, MediaStreamTrack | null>): void {
    let added = false;
    for (const kind of ['audio', 'video'] as const) {
      const track = tracks[kind];
      if (track) added = this.#add(kind, track) || added;
    }
    if (added) void this.#publish();
  }

  /** Sends `track` as our `kind` (null: nothing of that kind for now). */
  async setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.#transceivers.get(kind);
    if (transceiver) {
      await transceiver.sender.replaceTrack(track);
      return;
    }
    if (track && this.#add(kind, track)) await this.#publish();
  }

  /** The SFU's answer to our latest offer. */
  async answered(description: SfuDescription): Promise<void> {
    if (!this.#awaitingAnswer || this.#leg.closed) return;
    try {
      if (description.type !== 'answer') throw PonteError.protocol('an sfu-published frame without an answer');
      await this.#leg.pc.setRemoteDescription(description);
    } catch (cause) {
      this.#fail(cause);
    } finally {
      this.#awaitingAnswer = false;
    }
    if (this.#again) {
      this.#again = false;
      await this.#publish();
    }
  }

  /** The server refused our `sfu-publish`: we wait for no answer. */
  refused(error: PonteError): void {
    if (!this.#awaitingAnswer) return;
    this.#awaitingAnswer = false;
    this.#again = false;
    this.#options.onError(error);
  }

  /** Applies new ICE settings. */
  configure(config: RTCConfiguration): void {
    this.#leg.configure(config);
  }

  /** Closes the connection (the SFU sees it hang up). */
  close(): void {
    this.#leg.close();
  }

  #add(kind: MediaKind, track: MediaStreamTrack): boolean {
    if (this.#transceivers.has(kind) || this.#leg.closed) return false;
    const init: RTCRtpTransceiverInit = { direction: 'sendonly', streams: [this.#options.localStream] };
    if (kind === 'video') init.sendEncodings = simulcastEncodings(this.#options.simulcast);
    this.#transceivers.set(kind, this.#leg.pc.addTransceiver(track, init));
    return true;
  }

  async #publish(): Promise<void> {
    if (this.#leg.closed) return;
    if (this.#awaitingAnswer) {
      this.#again = true;
      return;
    }
    this.#awaitingAnswer = true;
    try {
      const pc = this.#leg.pc;
      await pc.setLocalDescription();
      const offer = pc.localDescription;
      if (this.#leg.closed) return;
      if (!offer || offer.type !== 'offer') throw new Error('no local offer');
      this.#options.send({ type: 'sfu-publish', description: { type: 'offer', sdp: offer.sdp } });
      this.#leg.described();
    } catch (cause) {
      this.#awaitingAnswer = false;
      this.#fail(cause);
    }
  }

  #fail(cause: unknown): void {
    if (this.#leg.closed) return;
    const error = cause instanceof PonteError ? cause : new PonteError('NEGOTIATION_FAILED', 'Could not publish our media to the SFU.', { cause });
    this.#options.onError(error);
  }
}
