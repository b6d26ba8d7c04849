import { describe, expect, it } from 'vitest';
import { FakePeerConnection, fakeMediaPlatform, fakeStream } from '../../test/fakePeerConnection.js';
import { PonteError } from '../errors/PonteError.js';
import { encodeManualCode } from './manualCode.js';
import { ManualCall } from './ManualCall.js';

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ManualCall', () => {
  const start = (role: 'caller' | 'callee') =>
    new ManualCall({
      role,
      localStream: fakeStream(),
      tracks: { audio: null, video: null },
      platform: fakeMediaPlatform,
    });

  it('the callee refuses an answer code (wrong role) and can then take the right code', async () => {
    const call = start('callee');
    const answerCode = await encodeManualCode({ role: 'answer', sdp: 'v=0\r\n', createdAt: Date.now(), offer: 1 });
    await expect(call.acceptOffer(answerCode)).rejects.toMatchObject({ code: 'BAD_CODE', reason: 'wrong-role' });
    await expect(call.acceptOffer('ponte1.AAAA')).rejects.toMatchObject({ code: 'BAD_CODE', reason: 'truncated' });

    const pc = FakePeerConnection.instances.at(-1);
    const offerCode = await encodeManualCode({ role: 'offer', sdp: 'v=0\r\nm=offer\r\n', createdAt: Date.now() });
    const answer = call.acceptOffer(offerCode);
    await settle();
    pc?.completeGathering();
    await expect(answer).resolves.toMatch(/^ponte1\./);
    call.close();
  });

  it('the caller makes the offer code after gathering and refuses its own offer as an answer', async () => {
    const call = start('caller');
    const pc = FakePeerConnection.instances.at(-1);
    await expect(call.acceptAnswer('ponte1.AAAA')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const offer = call.createOffer();
    await settle();
    pc?.completeGathering();
    const offerCode = await offer;
    expect(offerCode).toMatch(/^ponte1\./);
    const refused = await call.acceptAnswer(offerCode).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PonteError);
    expect(refused).toMatchObject({ code: 'BAD_CODE', reason: 'wrong-role' });
    expect(() => call.chat.send('hi')).toThrow(PonteError);
    call.close();
  });
});
