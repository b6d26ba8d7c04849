import { describe, expect, it } from 'vitest';
import { waitForIceGathering } from './iceGathering.js';

describe('waitForIceGathering', () => {
  it('resolves at once when gathering is already complete, true on completion, false on timeout', async () => {
    const done = Object.assign(new EventTarget(), { iceGatheringState: 'complete' as RTCIceGatheringState });
    await expect(waitForIceGathering(done, 10)).resolves.toBe(true);
    const slow = Object.assign(new EventTarget(), { iceGatheringState: 'gathering' as RTCIceGatheringState });
    await expect(waitForIceGathering(slow, 10)).resolves.toBe(false);
    const later = waitForIceGathering(slow, 10_000);
    slow.iceGatheringState = 'complete';
    slow.dispatchEvent(new Event('icegatheringstatechange'));
    await expect(later).resolves.toBe(true);
  });
});
