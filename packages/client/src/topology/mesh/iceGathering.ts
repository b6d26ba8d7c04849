/** Waiting for ICE gathering to finish, for signaling that cannot trickle candidates. */

/** The part of `RTCPeerConnection` this needs (a plain fake works in tests). */
export type GatheringTarget = Pick<RTCPeerConnection, 'iceGatheringState' | 'addEventListener' | 'removeEventListener'>;

/** How long {@link waitForIceGathering} waits at most by default, in ms. */
export const DEFAULT_GATHERING_TIMEOUT_MS = 10_000;

/**
 * Resolves once `connection` has gathered all its ICE candidates
 * (`iceGatheringState === 'complete'`), or after `timeoutMs` with whatever was gathered by
 * then: an unreachable STUN server must not hold the call forever, and host candidates
 * alone often suffice. Resolves `true` when gathering completed, `false` on timeout.
 */
export function waitForIceGathering(connection: GatheringTarget, timeoutMs = DEFAULT_GATHERING_TIMEOUT_MS): Promise<boolean> {
  if (connection.iceGatheringState === 'complete') return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (complete: boolean): void => {
      clearTimeout(timer);
      connection.removeEventListener('icegatheringstatechange', onChange);
      resolve(complete);
    };
    const onChange = (): void => {
      if (connection.iceGatheringState === 'complete') finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    connection.addEventListener('icegatheringstatechange', onChange);
  });
}
