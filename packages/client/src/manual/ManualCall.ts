/**
 * A call between two browsers with no signaling server: the two people carry the offer and
 * the answer between them as copy-and-paste codes.
 */
import type { SignalData } from '@ponte/protocol';
import { ChatChannel, type ChatChannelOptions } from '../data/ChatChannel.js';
import { PeerData, type PeerDataOptions } from '../data/PeerData.js';
import { PonteError } from '../errors/PonteError.js';
import type { PeerConnectionConstructor, Platform } from '../platform/Platform.js';
import { DEFAULT_GATHERING_TIMEOUT_MS } from '../topology/mesh/iceGathering.js';
import type { MediaKind } from '../topology/MediaTopology.js';
import { PeerSession } from '../topology/mesh/PeerSession.js';
import { decodeManualCode, encodeManualCode, offerFingerprint, type ManualCodeRole } from './manualCode.js';

/** Which side of a manual call this is: the caller makes the offer, the callee the answer. */
export type ManualCallRole = 'caller' | 'callee';

/** How long {@link ManualCall} waits for its own offer or answer by default, in ms. */
export const DEFAULT_MANUAL_EXCHANGE_TIMEOUT_MS = 30_000;

/** What a {@link ManualCall} needs. */
export interface ManualCallOptions {
  role: ManualCallRole;
  /** The local stream whose id the peer sees on our tracks (e.g. `LocalMedia.stream`). */
  localStream: MediaStream;
  /** The tracks to send (null: receive only for that kind). */
  tracks: Record<MediaKind, MediaStreamTrack | null>;
  /**
   * STUN/TURN servers. Default none: host candidates only, which connect two browsers on one
   * machine or one network; across the internet add a STUN (or TURN) server.
   */
  iceServers?: RTCIceServer[];
  /** The longest wait for ICE gathering before a code is made anyway, in ms. Default 10000. */
  gatheringTimeoutMs?: number;
  /** The longest wait for our own offer or answer, in ms. Default {@link DEFAULT_MANUAL_EXCHANGE_TIMEOUT_MS}. */
  exchangeTimeoutMs?: number;
  /** The oldest code accepted, in ms (by this device's clock). Default 15 minutes. */
  maxCodeAgeMs?: number;
  /** Limits of the chat. */
  chat?: ChatChannelOptions;
  /** Limits and tuning of the data link (messages, files). */
  data?: PeerDataOptions;
  /** Where `RTCPeerConnection` and `MediaStream` come from. Default {@link browserPlatform}. */
  platform?: Pick<Platform, 'RTCPeerConnection' | 'MediaStream'>;
  /** An `RTCPeerConnection` constructor that overrides the platform's. */
  PeerConnection?: PeerConnectionConstructor;
}

/**
 * One manual call. The caller calls {@link createOffer} and shows the code; the callee pastes
 * it into {@link acceptOffer} and shows the answer code it returns; the caller pastes that
 * into {@link acceptAnswer}. Media and negotiation are an ordinary {@link PeerSession}
 * (with `trickle: false`, so each code holds every ICE candidate); {@link data} is the
 * ordinary {@link PeerData} link (messages, files), whose channels the offer carries, and
 * {@link chat} a text chat on it.
 *
 * After the exchange there is no way to send more signaling, so later renegotiations (an
 * ICE restart after a failure) cannot complete: a failed call needs new codes.
 *
 * Bad codes reject with a `BAD_CODE` {@link PonteError} whose `reason` says what is wrong
 * (see `ManualCodeProblem`); the same call may then be given another code.
 */
export class ManualCall {
  readonly role: ManualCallRole;
  /** The connection to the peer: `remoteStream`, `connectionState`, `track` events. */
  readonly session: PeerSession;
  /** Messages and files with the peer. */
  readonly data: PeerData;
  /** The text chat with the peer, on {@link data}. */
  readonly chat: ChatChannel;
  readonly #options: ManualCallOptions;
  readonly #description: Promise<RTCSessionDescriptionInit>;
  #resolveDescription: (description: RTCSessionDescriptionInit) => void = () => undefined;
  #offerFingerprint: number | undefined;
  #stage: 'new' | 'busy' | 'exchanged' | 'closed' = 'new';

  constructor(options: ManualCallOptions) {
    this.role = options.role;
    this.#options = options;
    this.#description = new Promise((resolve) => {
      this.#resolveDescription = resolve;
    });
    const caller = options.role === 'caller';
    this.session = new PeerSession({
      selfId: options.role,
      peerId: caller ? 'callee' : 'caller',
      // One transport for everything: fewer candidates to gather and carry.
      rtcConfig: { iceServers: options.iceServers ?? [], bundlePolicy: 'max-bundle' },
      initiator: caller,
      localStream: options.localStream,
      tracks: options.tracks,
      trickle: false,
      gatheringTimeoutMs: options.gatheringTimeoutMs ?? DEFAULT_GATHERING_TIMEOUT_MS,
      sendSignal: (data) => this.#onSignal(data),
      ...(options.platform ? { platform: options.platform } : {}),
      ...(options.PeerConnection ? { PeerConnection: options.PeerConnection } : {}),
    });
    // Made now, in the same task as the session: the caller's first offer (next task) then
    // carries the data channels; a later one would need a renegotiation, impossible here.
    this.data = new PeerData(this.session, this.session.peerId, options.data);
    this.chat = new ChatChannel(this.data, options.chat);
  }

  /** Caller: the offer code, once ICE gathering is done. */
  async createOffer(): Promise<string> {
    this.#expect('caller', 'make an offer');
    this.#stage = 'busy';
    try {
      const offer = await this.#ownDescription();
      this.#offerFingerprint = offerFingerprint(offer.sdp ?? '');
      return await this.#encode('offer', offer.sdp ?? '');
    } finally {
      if (this.#stage === 'busy') this.#stage = 'new';
    }
  }

  /** Callee: applies the caller's offer code and returns the answer code. */
  async acceptOffer(code: string): Promise<string> {
    this.#expect('callee', 'accept an offer');
    this.#stage = 'busy';
    try {
      const offer = await this.#decode(code, 'offer');
      await this.#apply({ type: 'offer', sdp: offer });
      const answer = await this.#ownDescription();
      const answerCode = await this.#encode('answer', answer.sdp ?? '', offerFingerprint(offer));
      this.#stage = 'exchanged';
      return answerCode;
    } finally {
      if (this.#stage === 'busy') this.#stage = 'new';
    }
  }

  /** Caller: applies the callee's answer code; the connection then establishes itself. */
  async acceptAnswer(code: string): Promise<void> {
    this.#expect('caller', 'accept an answer');
    if (this.#offerFingerprint === undefined) throw PonteError.invalidState('Make the offer before accepting an answer.');
    this.#stage = 'busy';
    try {
      const answer = await this.#decode(code, 'answer');
      await this.#apply({ type: 'answer', sdp: answer });
      this.#stage = 'exchanged';
    } finally {
      if (this.#stage === 'busy') this.#stage = 'new';
    }
  }

  /** Hangs up: closes the chat, the data link and the connection (local tracks are the caller's to stop). */
  close(): void {
    this.#stage = 'closed';
    this.chat.close();
    this.data.close('left');
    this.session.close();
  }

  /** Throws unless this is the `role` side and no exchange step is running or done. */
  #expect(role: ManualCallRole, action: string): void {
    if (this.role !== role) throw PonteError.invalidState(`Only the ${role} can ${action}.`);
    if (this.#stage !== 'new') throw PonteError.invalidState(`This call cannot ${action} now.`);
  }

  #onSignal(data: SignalData): void {
    // Candidates never come alone with trickle off; descriptions after the exchange
    // (renegotiations) have no way to reach the peer.
    if (data.kind === 'description') this.#resolveDescription(data.description);
  }

  /** Our first description, or a rejection after the exchange timeout or a session error. */
  async #ownDescription(): Promise<RTCSessionDescriptionInit> {
    const timeoutMs = this.#options.exchangeTimeoutMs ?? DEFAULT_MANUAL_EXCHANGE_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let offError = (): void => undefined;
    const failure = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new PonteError('NEGOTIATION_FAILED', `No session description was ready within ${timeoutMs} ms.`)), timeoutMs);
      offError = this.session.on('error', reject);
    });
    try {
      return await Promise.race([this.#description, failure]);
    } finally {
      clearTimeout(timer);
      offError();
    }
  }

  async #decode(code: string, role: ManualCodeRole): Promise<string> {
    const result = await decodeManualCode(code, {
      expectedRole: role,
      ...(this.#offerFingerprint === undefined ? {} : { offer: this.#offerFingerprint }),
      ...(this.#options.maxCodeAgeMs === undefined ? {} : { maxAgeMs: this.#options.maxCodeAgeMs }),
    });
    if (!result.ok) throw result.error;
    return result.content.sdp;
  }

  /** Hands the peer's description to the session; rejects if the session could not apply it. */
  async #apply(description: RTCSessionDescriptionInit & { type: 'offer' | 'answer'; sdp: string }): Promise<void> {
    let failure = null as PonteError | null; // set by the listener, which TypeScript cannot see
    const off = this.session.on('error', (error) => {
      failure = error;
    });
    try {
      await this.session.handleSignal({ kind: 'description', description });
    } finally {
      off();
    }
    if (failure) throw failure;
  }

  #encode(role: ManualCodeRole, sdp: string, offer?: number): Promise<string> {
    return encodeManualCode(offer === undefined ? { role, sdp, createdAt: Date.now() } : { role, sdp, createdAt: Date.now(), offer });
  }
}
