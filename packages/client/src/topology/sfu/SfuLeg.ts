import type { IceCandidate, SfuLegName } from '@ponte/protocol';
import type { PeerConnectionConstructor } from '../../platform/Platform.js';
import type { SfuRequest } from './sfuFrames.js';

/** What one of our two SFU connections needs. */
export interface SfuLegOptions {
  /** Which connection it is. */
  leg: SfuLegName;
  /** Makes the connection. */
  RTCPeerConnection: PeerConnectionConstructor;
  /** Its configuration (ICE servers and policy). */
  rtcConfig: RTCConfiguration;
  /** Sends a request to the server, which brokers it to the SFU. */
  send: (frame: SfuRequest) => void;
  /** The connection's state changed. */
  onState: (state: RTCPeerConnectionState) => void;
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

/**
 * One `RTCPeerConnection` to the SFU (our publisher or our subscriber) and its trickle ICE:
 * each candidate goes to the server as `sfu-candidates` once our first description has gone
 * (the SFU cannot take candidates of a connection it has not heard of), and an empty list
 * says that gathering is complete.
 */
export class SfuLeg {
  readonly pc: RTCPeerConnection;
  readonly #options: SfuLegOptions;
  /** Candidates found before our first description went out; null once it has. */
  #held: IceCandidate[] | null = [];
  #gathered = false;
  #closed = false;

  constructor(options: SfuLegOptions) {
    this.#options = options;
    this.pc = new options.RTCPeerConnection(options.rtcConfig);
    this.pc.onicecandidate = ({ candidate }) => this.#candidate(candidate);
    this.pc.onconnectionstatechange = () => {
      if (!this.#closed) options.onState(this.pc.connectionState);
    };
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Our description went out: the candidates held meanwhile follow it. */
  described(): void {
    const held = this.#held;
    if (held === null) return;
    this.#held = null;
    if (held.length > 0) this.#send(held);
    if (this.#gathered) this.#send([]);
  }

  /** Applies new ICE servers or policy from the next gathering on. */
  configure(config: RTCConfiguration): void {
    if (!this.#closed) this.pc.setConfiguration({ ...this.pc.getConfiguration(), ...config });
  }

  /** Closes the connection; nothing is sent about it afterwards. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  #candidate(candidate: RTCIceCandidate | null): void {
    if (this.#closed) return;
    if (candidate === null || !candidate.candidate) {
      // A null candidate (or an empty one, which some browsers send): gathering is over.
      if (candidate !== null) return;
      this.#gathered = true;
      if (this.#held === null) this.#send([]);
      return;
    }
    const wire = toWireCandidate(candidate);
    if (this.#held !== null) this.#held.push(wire);
    else this.#send([wire]);
  }

  #send(candidates: IceCandidate[]): void {
    this.#options.send({ type: 'sfu-candidates', leg: this.#options.leg, candidates });
  }
}
