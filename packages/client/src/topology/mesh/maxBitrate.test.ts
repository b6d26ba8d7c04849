import { describe, expect, it } from 'vitest';
import { applyMaxBitrate } from './maxBitrate.js';

/** A sender whose parameters are kept, with a count of `setParameters` calls. */
function fakeSender(encodings: RTCRtpEncodingParameters[] | undefined): {
  sender: RTCRtpSender;
  sets: () => number;
  encoding: () => RTCRtpEncodingParameters | undefined;
} {
  let parameters = { encodings } as RTCRtpSendParameters;
  let sets = 0;
  const sender = {
    getParameters: () => structuredClone(parameters),
    setParameters: async (next: RTCRtpSendParameters) => {
      sets += 1;
      parameters = next;
    },
  } as unknown as RTCRtpSender;
  return { sender, sets: () => sets, encoding: () => parameters.encodings?.[0] };
}

describe('applyMaxBitrate', () => {
  it('sets the cap in bit/s, lifts it with null, and sets nothing when unchanged', async () => {
    const fake = fakeSender([{}]);
    await applyMaxBitrate(fake.sender, 800);
    expect(fake.encoding()?.maxBitrate).toBe(800_000);
    await applyMaxBitrate(fake.sender, 800);
    expect(fake.sets()).toBe(1);
    await applyMaxBitrate(fake.sender, null);
    expect(fake.encoding()).toEqual({});
    expect(fake.sets()).toBe(2);
  });

  it('waits for negotiation: a sender without encodings is left alone', async () => {
    const fake = fakeSender([]);
    await applyMaxBitrate(fake.sender, 800);
    expect(fake.sets()).toBe(0);
  });
});
