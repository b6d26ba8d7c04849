import type { SfuOfferFrame } from '@ponte/protocol';
import { PonteError } from '../../errors/PonteError.js';
import type { MediaKind } from '../MediaTopology.js';
import { SfuLeg, type SfuLegOptions } from './SfuLeg.js';

/** One stream we receive through the SFU: its media line, whose it is, and its track. */
export interface ReceivedStream {
  readonly mid: string;
  readonly peerId: string;
  readonly kind: MediaKind;
  readonly track: MediaStreamTrack;
}

/** What our subscriber connection needs. */
export interface SfuSubscriberOptions extends Omit<SfuLegOptions, 'leg'> {
  /** The streams received changed with an offer: those that ended, then those that began. */
  onStreams: (change: { removed: ReceivedStream[]; added: ReceivedStream[] }) => void;
  /** An offer of the SFU could not be answered. */
  onError: (error: PonteError) => void;
}

/**
 * Our subscriber connection to the SFU: everyone else's media, in one connection the SFU
 * offers (`sfu-offer`) and we answer (`sfu-answer`), renegotiated by each new offer as people
 * come and go, one at a time. The `streams` of the latest offer say whose each media line
 * is; after each answer the lines are matched to them, and the streams that ended or began
 * (a line the SFU reuses for someone else does both) are reported.
 */
export class SfuSubscriber {
  readonly #leg: SfuLeg;
  readonly #options: SfuSubscriberOptions;
  #streams = new Map<string, ReceivedStream>();
  #queue: Promise<void> = Promise.resolve();

  constructor(options: SfuSubscriberOptions) {
    this.#options = options;
    this.#leg = new SfuLeg({ ...options, leg: 'subscriber' });
  }

  /** The connection, for statistics. */
  get connection(): RTCPeerConnection {
    return this.#leg.pc;
  }

  /** The streams received now, by media line. */
  get streams(): ReadonlyMap<string, ReceivedStream> {
    return this.#streams;
  }

  /** Applies an offer of the SFU and answers it; offers are applied in the order they come. */
  offer(frame: SfuOfferFrame): Promise<void> {
    this.#queue = this.#queue.then(() => this.#apply(frame));
    return this.#queue;
  }

  /** Applies new ICE settings. */
  configure(config: RTCConfiguration): void {
    this.#leg.configure(config);
  }

  /** Closes the connection; its streams end without being reported. */
  close(): void {
    this.#leg.close();
    this.#streams = new Map();
  }

  async #apply(frame: SfuOfferFrame): Promise<void> {
    if (this.#leg.closed) return;
    const pc = this.#leg.pc;
    try {
      if (frame.description.type !== 'offer') throw PonteError.protocol('an sfu-offer frame without an offer');
      await pc.setRemoteDescription(frame.description);
      await pc.setLocalDescription();
      const answer = pc.localDescription;
      if (this.#leg.closed) return;
      if (!answer || answer.type !== 'answer') throw new Error('no local answer');
      this.#options.send({ type: 'sfu-answer', description: { type: 'answer', sdp: answer.sdp } });
      this.#leg.described();
    } catch (cause) {
      if (this.#leg.closed) return;
      const error = cause instanceof PonteError ? cause : new PonteError('NEGOTIATION_FAILED', 'Could not take the media the SFU offers.', { cause });
      this.#options.onError(error);
      return;
    }
    this.#match(frame.streams);
  }

  /** Matches the media lines to the offer's streams, and reports what changed. */
  #match(offered: SfuOfferFrame['streams']): void {
    const owners = new Map(offered.map((stream) => [stream.mid, stream]));
    const next = new Map<string, ReceivedStream>();
    for (const transceiver of this.#leg.pc.getTransceivers()) {
      const owner = transceiver.mid === null ? undefined : owners.get(transceiver.mid);
      const track = transceiver.receiver.track;
      if (!owner || track.kind !== owner.kind) continue;
      next.set(owner.mid, { mid: owner.mid, peerId: owner.peer, kind: owner.kind, track });
    }
    const removed: ReceivedStream[] = [];
    const added: ReceivedStream[] = [];
    for (const [mid, before] of this.#streams) {
      const now = next.get(mid);
      if (!now || now.peerId !== before.peerId || now.track !== before.track) removed.push(before);
    }
    for (const [mid, now] of next) {
      const before = this.#streams.get(mid);
      if (!before || before.peerId !== now.peerId || before.track !== now.track) added.push(now);
    }
    this.#streams = next;
    if (removed.length > 0 || added.length > 0) this.#options.onStreams({ removed, added });
  }
}
