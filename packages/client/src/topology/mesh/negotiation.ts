/**
 * The decisions of "perfect negotiation" (W3C WebRTC 1.0, §10.7), as pure functions so they
 * can be tested without a browser. Both peers run the same code; which one yields in a
 * collision is decided by comparing their server-minted ids.
 */

/**
 * Whether this side is the polite peer of the pair: the one that rolls back its own offer
 * when both offer at once. Exactly one side of every pair is polite.
 */
export function isPolite(selfId: string, peerId: string): boolean {
  return selfId < peerId;
}

/** What the state of the local connection was when a remote description arrived. */
export interface NegotiationState {
  /** This side is between `createOffer` and `setLocalDescription` completing. */
  makingOffer: boolean;
  /** `RTCPeerConnection.signalingState`. */
  signalingState: RTCSignalingState;
  /** This side is applying a remote answer (the state machine is about to become stable). */
  settingRemoteAnswer: boolean;
  polite: boolean;
}

/**
 * What to do with an incoming description:
 * - `accept`: apply it.
 * - `rollback-and-accept`: an offer collided with ours and we are polite: roll our offer
 *   back, then apply theirs.
 * - `ignore`: an offer collided with ours and we are impolite: the other side will roll
 *   back and answer ours.
 */
export type DescriptionDecision = 'accept' | 'rollback-and-accept' | 'ignore';

/** Decides how to handle a remote description of `type` in `state`. */
export function decideOnDescription(type: 'offer' | 'answer', state: NegotiationState): DescriptionDecision {
  if (type === 'answer') return 'accept';
  const readyForOffer = !state.makingOffer && (state.signalingState === 'stable' || state.settingRemoteAnswer);
  if (readyForOffer) return 'accept';
  return state.polite ? 'rollback-and-accept' : 'ignore';
}

/**
 * Holds ICE candidates that arrive before a remote description exists (they cannot be
 * added yet), bounded so a misbehaving peer cannot grow it without end.
 */
export class CandidateBuffer {
  #pending: RTCIceCandidateInit[] = [];

  constructor(private readonly limit = 256) {}

  /** Queues a candidate; returns false when the buffer is full and it was dropped. */
  push(candidate: RTCIceCandidateInit): boolean {
    if (this.#pending.length >= this.limit) return false;
    this.#pending.push(candidate);
    return true;
  }

  /** Returns and forgets everything queued. */
  drain(): RTCIceCandidateInit[] {
    const drained = this.#pending;
    this.#pending = [];
    return drained;
  }

  /** How many candidates are queued. */
  get size(): number {
    return this.#pending.length;
  }
}
