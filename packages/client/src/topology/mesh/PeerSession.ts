import type { IceCandidate, SignalData } from '@ponte/protocol';
import { waitForIceGathering } from './iceGathering.js';
import { CandidateBuffer, decideOnDescription, isPolite } from './negotiation.js';
import { PonteError } from '../../errors/PonteError.js';
import { TypedEmitter } from '../../events/TypedEmitter.js';
import { browserPlatform } from '../../platform/browserPlatform.js';
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
   * 4000. Only the impolite side restarts by itself; see {@link PeerSession}.
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

const MEDIA_KINDS: readonly MediaKind[] = ['audio', 'video'];

function toWireCandidate(candidate: RTCIceCandidate): IceCandidate {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
    usernameFragment: candidate.usernameFragment,
  };
}

/**
 * One `RTCPeerConnection` to one remote peer, negotiated with "perfect negotiation":
 * either side may renegotiate at any time, and offer collisions are resolved by the polite
 * side rolling back. Candidates are trickled, buffered until a remote description exists,
 * and the connection restarts ICE by itself when it fails or stays disconnected. With
 * `trickle: false` each description is sent whole, after ICE gathering (manual signaling).
 *
 * Both sides see a broken path at about the same time, so only the impolite side restarts
 * ICE at once; the polite side restarts only when no offer came from the impolite side for
 * twice `restartRetryMs` (it may be gone, or see the connection as fine). Two restarts at
 * once sometimes collided, and Chromium's rollback of the polite side's restart offer then
 * left that side's `<video>` of the peer frozen for good although its frames were still
 * received and decoded (docs/connectivity.md, "ICE restart").
 */
export class PeerSession extends TypedEmitter<PeerSessionEvents> {
  /** The remote peer's tracks, as one stream ready for a `<video>` element. */
  readonly remoteStream: MediaStream;
  readonly polite: boolean;
  readonly #pc: RTCPeerConnection;
  readonly #options: PeerSessionOptions;
  readonly #candidates = new CandidateBuffer();
  readonly #senders = new Map<MediaKind, RTCRtpTransceiver>();
  readonly #tracks: Record<MediaKind, MediaStreamTrack | null>;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswer = false;
  #queue: Promise<void> = Promise.resolve();
  /** The pending automatic ICE restart (after `failed` or `disconnected`). */
  #autoRestartTimer: ReturnType<typeof setTimeout> | undefined;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #turnRefused = false;
  #videoCapKbps: number | null = null;
  #dataReady: boolean;
  readonly #onDataReady: (() => void)[] = [];

  constructor(options: PeerSessionOptions) {
    super();
    this.#options = options;
    this.polite = isPolite(options.selfId, options.peerId);
    this.#tracks = { ...options.tracks };
    const platform = options.platform ?? browserPlatform();
    this.remoteStream = new platform.MediaStream();
    const PeerConnection = options.PeerConnection ?? platform.RTCPeerConnection;
    this.#pc = new PeerConnection(options.rtcConfig);
    this.#pc.onnegotiationneeded = () => void this.#offer();
    this.#pc.onicecandidate = ({ candidate }) => {
      if (candidate?.candidate && this.#options.trickle !== false) this.#send({ kind: 'candidates', candidates: [toWireCandidate(candidate)] });
    };
    this.#pc.ontrack = ({ track }) => this.#addRemoteTrack(track);
    this.#pc.onconnectionstatechange = () => this.#onConnectionState();
    this.#pc.onicecandidateerror = (event) => this.#onCandidateError(event);
    // The initiator's first offer is still to be made, so channels created now ride on it.
    this.#dataReady = options.initiator;
    if (options.initiator) {
      for (const kind of MEDIA_KINDS) this.#addSender(kind);
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
    this.#queue = this.#queue.then(() => this.#handle(data)).catch((cause: unknown) => {
      if (!this.#closed) this.emit('error', new PonteError('NEGOTIATION_FAILED', `Negotiation with ${this.peerId} failed.`, { cause }));
    });
    return this.#queue;
  }

  /**
   * Sends `track` as this session's `kind` track, or stops sending that kind with null.
   * Swaps tracks with `replaceTrack`, so switching devices or to a screen share costs no
   * renegotiation; only a first track on a receive-only connection renegotiates.
   */
  async setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    this.#tracks[kind] = track;
    const transceiver = this.#senders.get(kind);
    if (!transceiver) {
      // Not yet negotiated (we answer the first offer): the track is attached then.
      if (!this.#options.initiator) return;
      this.#addSender(kind);
      return;
    }
    if (track && transceiver.direction !== 'sendrecv') transceiver.direction = 'sendrecv';
    await transceiver.sender.replaceTrack(track);
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
    const sender = this.#senders.get('video')?.sender;
    if (!sender || this.#closed) return;
    const parameters = sender.getParameters();
    const encoding = parameters.encodings?.[0];
    if (!encoding) return;
    const maxBitrate = kbps === null ? undefined : kbps * 1000;
    if (encoding.maxBitrate === maxBitrate) return;
    if (maxBitrate === undefined) delete encoding.maxBitrate;
    else encoding.maxBitrate = maxBitrate;
    await sender.setParameters(parameters);
  }

  /** Restarts ICE (a new offer with fresh credentials), e.g. after a network change. */
  restartIce(): void {
    if (this.#closed) return;
    this.#pc.restartIce();
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(() => {
      if (this.#pc.connectionState !== 'connected') this.restartIce();
    }, this.#restartRetryMs);
  }

  get #restartRetryMs(): number {
    return this.#options.restartRetryMs ?? 5_000;
  }

  /** Closes the connection for good. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#autoRestartTimer);
    clearTimeout(this.#restartTimer);
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
    // The impolite side is restarting: the polite side's own restart waits longer.
    const restarting = this.#autoRestartTimer !== undefined || this.#restartTimer !== undefined;
    if (this.polite && restarting && this.#pc.connectionState !== 'connected') this.#deferRestart();
    this.#markDataReady();
    if (!this.#options.initiator) this.#attachToOffer();
    await this.#pc.setLocalDescription();
    this.#sendDescription();
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

  /**
   * On the answering side, reuses the transceivers the first offer created for our own
   * tracks, so the answer sends both ways without a second negotiation. The answer depends
   * on each transceiver's direction, not on its track, so the tracks are swapped in without
   * waiting: awaiting each `replaceTrack` put two round trips to WebRTC's thread between the
   * remote offer and our answer (about 15 ms on a 2-core machine; `npm run bench:setup`).
   */
  #attachToOffer(): void {
    for (const kind of MEDIA_KINDS) {
      if (this.#senders.has(kind)) continue;
      const transceiver = this.#pc
        .getTransceivers()
        .find((t) => t.receiver.track.kind === kind && t.mid !== null && !t.sender.track && !this.#isSender(t));
      if (!transceiver) continue;
      this.#senders.set(kind, transceiver);
      transceiver.sender.setStreams(this.#options.localStream);
      const track = this.#tracks[kind];
      if (track) {
        transceiver.direction = 'sendrecv';
        transceiver.sender.replaceTrack(track).catch((cause: unknown) => {
          if (!this.#closed) this.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not send our ${kind} to ${this.peerId}.`, { cause }));
        });
      }
    }
  }

  #markDataReady(): void {
    if (this.#dataReady) return;
    this.#dataReady = true;
    for (const open of this.#onDataReady.splice(0)) open();
  }

  #isSender(transceiver: RTCRtpTransceiver): boolean {
    return [...this.#senders.values()].includes(transceiver);
  }

  #addSender(kind: MediaKind): void {
    const track = this.#tracks[kind];
    const transceiver = this.#pc.addTransceiver(track ?? kind, {
      direction: track ? 'sendrecv' : 'recvonly',
      streams: [this.#options.localStream],
    });
    this.#senders.set(kind, transceiver);
  }

  async #offer(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#sendDescription();
    } catch (cause) {
      if (!this.#closed) this.emit('error', new PonteError('NEGOTIATION_FAILED', `Could not make an offer to ${this.peerId}.`, { cause }));
    } finally {
      this.#makingOffer = false;
    }
  }

  #sendDescription(): void {
    if (this.#options.trickle === false) {
      // Not awaited: later signals must not queue behind gathering.
      void waitForIceGathering(this.#pc, this.#options.gatheringTimeoutMs).then(() => this.#sendLocalDescription());
      return;
    }
    this.#sendLocalDescription();
  }

  #sendLocalDescription(): void {
    const description = this.#pc.localDescription;
    if (!description || (description.type !== 'offer' && description.type !== 'answer')) return;
    this.#send({ kind: 'description', description: { type: description.type, sdp: description.sdp } });
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

  /** Schedules the automatic ICE restart `delayMs` from now (the polite side: see {@link #deferRestart}). */
  #scheduleRestart(delayMs: number): void {
    if (this.polite) {
      this.#deferRestart();
      return;
    }
    this.#autoRestartTimer = setTimeout(() => this.restartIce(), delayMs);
  }

  /**
   * On the polite side, (re)arms its own restart for twice `restartRetryMs` from now: each
   * offer of the impolite side, which retries every `restartRetryMs`, pushes it back.
   */
  #deferRestart(): void {
    clearTimeout(this.#autoRestartTimer);
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.#autoRestartTimer = setTimeout(() => {
      if (this.#pc.connectionState !== 'connected') this.restartIce();
    }, 2 * this.#restartRetryMs);
  }

  #onConnectionState(): void {
    const state = this.#pc.connectionState;
    clearTimeout(this.#autoRestartTimer);
    this.#autoRestartTimer = undefined;
    if (state === 'failed') {
      const message = `The connection to ${this.peerId} failed; trying again with an ICE restart.`;
      this.emit('error', new PonteError('PEER_CONNECTION_FAILED', message));
      this.#scheduleRestart(0);
    }
    if (state === 'disconnected') this.#scheduleRestart(this.#options.disconnectedRestartMs ?? 4000);
    if (state === 'connected') {
      clearTimeout(this.#restartTimer);
      this.#restartTimer = undefined;
      // Encodings exist once negotiated: a cap set before then is applied now.
      void this.setVideoBitrateCap(this.#videoCapKbps).catch(() => {});
    }
    this.emit('connection-state', state);
  }
}
