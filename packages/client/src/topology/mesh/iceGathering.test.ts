import { describe, expect, it } from 'vitest';
import { waitForIceGathering } from './iceGathering.js';

/** A stand-in peer connection that only gathers. */
function gatherer(state: RTCIceGatheringState): EventTarget & { iceGatheringState: RTCIceGatheringState } {
  return Object.assign(new EventTarget(), { iceGatheringState: state });
}

describe('waitForIceGathering', () => {
  it('resolves at once when gathering is already complete, true on completion, false on timeout', async () => {
    const done = gatherer('complete');
    await expect(waitForIceGathering(done, 10)).resolves.toBe(true);
    const slow = gatherer('gathering');
    await expect(waitForIceGathering(slow, 10)).resolves.toBe(false);
    const later = waitForIceGathering(slow, 10_000);
    slow.iceGatheringState = 'complete';
    slow.dispatchEvent(new Event('icegatheringstatechange'));
    await expect(later).resolves.toBe(true);
  });
});
