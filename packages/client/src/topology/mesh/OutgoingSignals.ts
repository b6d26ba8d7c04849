import type { IceCandidate, SignalData } from '@ponte/protocol';
import { waitForIceGathering, type GatheringTarget } from './iceGathering.js';

/** The part of `RTCPeerConnection` whose descriptions and candidates go out. */
export type SignalSource = GatheringTarget & Pick<RTCPeerConnection, 'localDescription'>;

/** How our descriptions and candidates go to the peer. */
export interface OutgoingSignalsOptions {
  /** Sends one signal to the peer. */
  send: (data: SignalData) => void;
  /**
   * True: trickle ICE, each candidate sent alone as soon as it is found, each description at
   * once. False: no candidate alone; each description once ICE gathering completes, with
   * every candidate inside it (for signaling where every message costs a human step).
   */
  trickle: boolean;
  /** With `trickle: false`, the longest wait for ICE gathering, in ms (see {@link waitForIceGathering}). */
  gatheringTimeoutMs?: number | undefined;
}

/** A browser candidate as the protocol carries it. */
function toWireCandidate(candidate: RTCIceCandidate): IceCandidate {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
    usernameFragment: candidate.usernameFragment,
  };
}

/** Sends one connection's local descriptions and candidates, trickled or whole. */
export class OutgoingSignals {
  readonly #source: SignalSource;
  readonly #options: OutgoingSignalsOptions;

  constructor(source: SignalSource, options: OutgoingSignalsOptions) {
    this.#source = source;
    this.#options = options;
  }

  /** ICE found a candidate (null: gathering is over). Sent at once when trickling. */
  candidate(candidate: RTCIceCandidate | null): void {
    if (candidate?.candidate && this.#options.trickle) this.#options.send({ kind: 'candidates', candidates: [toWireCandidate(candidate)] });
  }

  /** Our local description changed: sent now when trickling, else once gathering completes. */
  description(): void {
    if (!this.#options.trickle) {
      // Not awaited: later signals must not queue behind gathering.
      void waitForIceGathering(this.#source, this.#options.gatheringTimeoutMs).then(() => this.#sendLocalDescription());
      return;
    }
    this.#sendLocalDescription();
  }

  #sendLocalDescription(): void {
    const description = this.#source.localDescription;
    if (!description || (description.type !== 'offer' && description.type !== 'answer')) return;
    this.#options.send({ kind: 'description', description: { type: description.type, sdp: description.sdp } });
  }
}
