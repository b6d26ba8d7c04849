import type { SignalData } from '@ponte/protocol';
import { PonteError } from '../../errors/PonteError.js';
import { TypedEmitter } from '../../events/TypedEmitter.js';
import { browserPlatform } from '../../platform/browserPlatform.js';
import type { MediaKind } from '../MediaTopology.js';
import { IceRestartPolicy } from './IceRestartPolicy.js';
import { applyMaxBitrate } from './maxBitrate.js';
import { MEDIA_KINDS, MediaSenders } from './MediaSenders.js';
import { CandidateBuffer, decideOnDescription, isPolite } from './negotiation.js';
import { OutgoingSignals } from './OutgoingSignals.js';
import type { PeerSessionEvents, PeerSessionOptions } from './PeerSessionOptions.js';

export type { PeerSessionEvents, PeerSessionOptions } from './PeerSessionOptions.js';

/**
 * One `RTCPeerConnection` to one remote peer, negotiated with "perfect negotiation":
 * either side may renegotiate at any time, and offer collisions are resolved by the polite
 * side rolling back. Candidates are trickled, buffered until a remote description exists
 * ({@link OutgoingSignals}; with `trickle: false` each description is sent whole, after ICE
 * gathering, for manual signaling), and the connection restarts ICE by itself when it fails
 * or stays disconnected ({@link IceRestartPolicy}: only the impolite side at once).
 */
export class PeerSession extends TypedEmitter<PeerSessionEvents> {
  /** The remote peer's tracks, as one stream ready for a `<video>` element. */
  readonly remoteStream: MediaStream;
  readonly polite: boolean;
  readonly #pc: RTCPeerConnection;
  readonly #options: PeerSessionOptions;
  readonly #candidates = new CandidateBuffer();
  readonly #senders: MediaSenders;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswer = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #restarts: IceRestartPolicy;
  readonly #outgoing: OutgoingSignals;
  #closed = false;
  #turnRefused = false;
  #videoCapKbps: number | null = null;
  #dataReady: boolean;
  readonly #onDataReady: (() => void)[] = [];

  constructor(options: PeerSessionOptions) {
    super();
    this.#options = options;
    this.polite = isPolite(options.selfId, options.peerId);
    const platform = options.platform ?? browserPlatform();
    this.remoteStream = new platform.MediaStream();
    const PeerConnection = options.PeerConnection ?? platform.RTCPeerConnection;
    this.#pc = new PeerConnection(options.rtcConfig);
    this.#senders = new MediaSenders(this.#pc, {
      localStream: options.localStream,
      tracks: options.tracks,
      onAttachFailed: (kind, cause) => {
        if (!this.#closed) this.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not send our ${kind} to ${this.peerId}.`, { cause }));
      },
    });
    this.#restarts = new IceRestartPolicy({
      polite: this.polite,
      disconnectedRestartMs: options.disconnectedRestartMs,
      restartRetryMs: options.restartRetryMs,
      restart: () => this.#pc.restartIce(),
      isConnected: () => this.#pc.connectionState === 'connected',
    });
    this.#outgoing = new OutgoingSignals(this.#pc, {
      send: (data) => this.#send(data),
      trickle: options.trickle !== false,
      gatheringTimeoutMs: options.gatheringTimeoutMs,
    });
    this.#pc.onnegotiationneeded = () => void this.#offer();
    this.#pc.onicecandidate = ({ candidate }) => this.#outgoing.candidate(candidate);
    this.#pc.ontrack = ({ track }) => this.#addRemoteTrack(track);
    this.#pc.onconnectionstatechange = () => this.#onConnectionState();
    this.#pc.onicecandidateerror = (event) => this.#onCandidateError(event);
    // The initiator's first offer is still to be made, so channels created now ride on it.
    this.#dataReady = options.initiator;
    if (options.initiator) {
      for (const kind of MEDIA_KINDS) this.#senders.add(kind);
    }
  }

  /** The remote peer's id. */
  get peerId(): string {
    return this.#options.peerId;
  }

  /** The underlying connection's state. */
  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  /** The underlying connection, for statistics and data channels. */
  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  /**
   * Applies signaling data from the remote peer. Calls are processed strictly in order,
   * whatever the caller awaits.
   */
  handleSignal(data: SignalData): Promise<void> {
    this.#queue = this.#queue
      .then(() => this.#handle(data))
      .catch((cause: unknown) => {
        if (!this.#closed) this.emit('error', new PonteError('NEGOTIATION_FAILED', `Negotiation with ${this.peerId} failed.`, { cause }));
      });
    return this.#queue;
  }

  /**
   * Sends `track` as this session's `kind` track, or stops sending that kind with null.
   * Swaps tracks with `replaceTrack`, so switching devices or to a screen share costs no
   * renegotiation; only a first track on a receive-only connection renegotiates.
   */
  setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    return this.#senders.setTrack(kind, track, this.#options.initiator);
  }

  /**
   * Calls `open` once data channels can be created without an extra negotiation: at once
   * on the initiator (its first offer will carry them), after the first remote offer is
   * applied on the answering side (whose answer then carries them). Creating a channel
   * earlier on the answering side would fire `negotiationneeded` and collide with that offer.
   */
  onDataReady(open: () => void): void {
    if (this.#closed) return;
    if (this.#dataReady) open();
    else this.#onDataReady.push(open);
  }

  /**
   * Applies new ICE servers or transport policy (e.g. refreshed TURN credentials); they are
   * used from the next ICE gathering on.
   */
  configure(config: RTCConfiguration): void {
    if (!this.#closed) this.#pc.setConfiguration({ ...this.#pc.getConfiguration(), ...config });
  }

  /** The cap on the video we send, in kbit/s (null: none). */
  get videoBitrateCap(): number | null {
    return this.#videoCapKbps;
  }

  /**
   * Caps the bitrate of the video we send this peer (an encoder setting: no renegotiation).
   * Applied as soon as the sender has encodings, i.e. once negotiated.
   */
  async setVideoBitrateCap(kbps: number | null): Promise<void> {
    this.#videoCapKbps = kbps;
    const sender = this.#senders.sender('video');
    if (!sender || this.#closed) return;
    await applyMaxBitrate(sender, kbps);
  }

  /**
   * Restarts ICE (a new offer with fresh credentials), e.g. after a network change, and
   * again every `restartRetryMs` until connected.
   */
  restartIce(): void {
    if (!this.#closed) this.#restarts.restartNow();
  }

  /** Closes the connection for good. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#restarts.close();
    this.#pc.onnegotiationneeded = null;
    this.#pc.onicecandidate = null;
    this.#pc.ontrack = null;
    this.#pc.onconnectionstatechange = null;
    this.#pc.onicecandidateerror = null;
    this.#pc.close();
    for (const track of this.remoteStream.getTracks()) track.stop();
    this.removeAllListeners();
  }

  async #handle(data: SignalData): Promise<void> {
    if (this.#closed) return;
    if (data.kind === 'candidates') {
      for (const candidate of data.candidates) await this.#addCandidate(candidate);
      return;
    }
    const { description } = data;
    const decision = decideOnDescription(description.type, {
      makingOffer: this.#makingOffer,
      signalingState: this.#pc.signalingState,
      settingRemoteAnswer: this.#settingRemoteAnswer,
      polite: this.polite,
    });
    this.#ignoreOffer = decision === 'ignore';
    if (decision === 'ignore') return;
    if (decision === 'rollback-and-accept') await this.#pc.setLocalDescription({ type: 'rollback' });
    this.#settingRemoteAnswer = description.type === 'answer';
    try {
      await this.#pc.setRemoteDescription(description);
    } finally {
      this.#settingRemoteAnswer = false;
    }
    for (const candidate of this.#candidates.drain()) await this.#addCandidate(candidate);
    if (description.type !== 'offer') return;
    // The impolite side may be restarting: the polite side's own restart waits longer.
    this.#restarts.onRemoteOffer();
    this.#markDataReady();
    if (!this.#options.initiator) this.#senders.attachToOffer();
    await this.#pc.setLocalDescription();
    this.#outgoing.description();
  }

  async #addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.#pc.remoteDescription) {
      this.#candidates.push(candidate);
      return;
    }
    try {
      await this.#pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an offer we ignored in a collision are expected to fail.
      if (!this.#ignoreOffer) throw error;
    }
  }

  #markDataReady(): void {
    if (this.#dataReady) return;
    this.#dataReady = true;
    for (const open of this.#onDataReady.splice(0)) open();
  }

  async #offer(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#outgoing.description();
    } catch (cause) {
      if (!this.#closed) this.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not make an offer to ${this.peerId}.`, { cause }));
    } finally {
      this.#makingOffer = false;
    }
  }

  #send(data: SignalData): void {
    if (!this.#closed) this.#options.sendSignal(data);
  }

  #addRemoteTrack(track: MediaStreamTrack): void {
    if (this.remoteStream.getTrackById(track.id)) return;
    this.remoteStream.addTrack(track);
    this.emit('track', track);
  }

  #onCandidateError(event: RTCPeerConnectionIceErrorEvent): void {
    // 401/403: the TURN server refused our credentials; say so once, clearly.
    if ((event.errorCode !== 401 && event.errorCode !== 403) || this.#turnRefused) return;
    this.#turnRefused = true;
    const message = `The TURN server ${event.url} refused our credentials (${event.errorCode} ${event.errorText}).`;
    this.emit('error', new PonteError('TURN_AUTH_FAILED', message));
  }

  #onConnectionState(): void {
    const state = this.#pc.connectionState;
    this.#restarts.onConnectionState(state);
    if (state === 'failed') {
      const message = `The connection to ${this.peerId} failed; trying again with an ICE restart.`;
      this.emit('error', new PonteError('PEER_CONNECTION_FAILED', message));
    }
    // Encodings exist once negotiated: a cap set before then is applied now.
    if (state === 'connected') void this.setVideoBitrateCap(this.#videoCapKbps).catch(() => {});
    this.emit('connection-state', state);
  }
}
