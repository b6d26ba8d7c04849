import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignalData } from '@ponte/protocol';
import { parseChatMessage } from './ChatChannel.js';
import { encodeManualCode } from './manualCode.js';
import { ManualCall } from './ManualCall.js';
import { PeerSession, type PeerSessionOptions } from './PeerSession.js';
import { PonteError } from './PonteError.js';
import { waitForIceGathering } from './iceGathering.js';

/** Just enough of `RTCPeerConnection` for PeerSession's offer/answer and ICE paths. */
class FakePeerConnection extends EventTarget {
  static instances: FakePeerConnection[] = [];
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: { candidate: Partial<RTCIceCandidate> | null }) => void) | null = null;
  ontrack: unknown = null;
  onconnectionstatechange: unknown = null;
  iceGatheringState: RTCIceGatheringState = 'new';
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly transceivers: unknown[] = [];
  #candidates = '';

  constructor() {
    super();
    FakePeerConnection.instances.push(this);
  }

  addTransceiver(kind: string, init: RTCRtpTransceiverInit): unknown {
    const transceiver = { direction: init.direction, mid: null, receiver: { track: { kind } }, sender: { track: null } };
    this.transceivers.push(transceiver);
    if (this.transceivers.length === 1) queueMicrotask(() => this.onnegotiationneeded?.());
    return transceiver;
  }

  getTransceivers(): unknown[] {
    return this.transceivers;
  }

  async setLocalDescription(): Promise<void> {
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
    this.iceGatheringState = 'gathering';
    this.localDescription = { type, sdp: `v=0\r\nm=${type}\r\n${this.#candidates}` };
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  async addIceCandidate(): Promise<void> {}

  createDataChannel(label: string): unknown {
    return { label, readyState: 'connecting', close() {} };
  }

  close(): void {}

  /** The ICE agent found a candidate: it joins the local description and is announced. */
  find(candidate: string): void {
    this.#candidates += `a=${candidate}\r\n`;
    if (this.localDescription) this.localDescription = { ...this.localDescription, sdp: `${this.localDescription.sdp}a=${candidate}\r\n` };
    this.onicecandidate?.({ candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' } });
  }

  completeGathering(): void {
    this.iceGatheringState = 'complete';
    this.dispatchEvent(new Event('icegatheringstatechange'));
    this.onicecandidate?.({ candidate: null });
  }
}

class FakeMediaStream {
  getTracks(): MediaStreamTrack[] {
    return [];
  }
  getTrackById(): null {
    return null;
  }
  addTrack(): void {}
}

function startSession(options: Partial<PeerSessionOptions>): { sent: SignalData[]; pc: FakePeerConnection; session: PeerSession } {
  const sent: SignalData[] = [];
  const session = new PeerSession({
    selfId: 'caller',
    peerId: 'callee',
    rtcConfig: {},
    initiator: true,
    localStream: new MediaStream(),
    tracks: { audio: null, video: null },
    sendSignal: (data) => sent.push(data),
    PeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
    ...options,
  });
  const pc = FakePeerConnection.instances.at(-1);
  if (!pc) throw new Error('no connection was made');
  return { sent, pc, session };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PeerSession with trickle: false', () => {
  beforeEach(() => vi.stubGlobal('MediaStream', FakeMediaStream));
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('sends no candidate alone and the offer only once gathering completes, holding every candidate', async () => {
    const { sent, pc } = startSession({ trickle: false });
    await settle();
    expect(pc.localDescription?.type).toBe('offer');
    pc.find('candidate:1 1 udp 1 192.0.2.2 5000 typ host');
    pc.find('candidate:2 1 udp 1 192.0.2.2 5001 typ host');
    await settle();
    expect(sent).toEqual([]);

    pc.completeGathering();
    await settle();
    expect(sent).toHaveLength(1);
    const [signal] = sent;
    expect(signal?.kind).toBe('description');
    if (signal?.kind !== 'description') return;
    expect(signal.description.type).toBe('offer');
    expect(signal.description.sdp).toContain('192.0.2.2 5000');
    expect(signal.description.sdp).toContain('192.0.2.2 5001');
  });

  it('answers an offer the same way on the receiving side', async () => {
    const { sent, pc, session } = startSession({ trickle: false, initiator: false, selfId: 'callee', peerId: 'caller' });
    await session.handleSignal({ kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } });
    pc.find('candidate:3 1 udp 1 192.0.2.3 6000 typ host');
    expect(sent).toEqual([]);
    pc.completeGathering();
    await settle();
    expect(sent.map((data) => (data.kind === 'description' ? data.description.type : data.kind))).toEqual(['answer']);
  });

  it('sends what it has after the gathering timeout', async () => {
    vi.useFakeTimers();
    const { sent, pc } = startSession({ trickle: false, gatheringTimeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(0);
    pc.find('candidate:1 1 udp 1 192.0.2.2 5000 typ host');
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(1);
  });

  it('still trickles by default: the offer at once, then each candidate', async () => {
    const { sent, pc } = startSession({});
    await settle();
    pc.find('candidate:1 1 udp 1 192.0.2.2 5000 typ host');
    expect(sent.map((data) => data.kind)).toEqual(['description', 'candidates']);
  });
});

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

describe('ManualCall', () => {
  beforeEach(() => vi.stubGlobal('MediaStream', FakeMediaStream));
  afterEach(() => vi.unstubAllGlobals());

  const start = (role: 'caller' | 'callee') =>
    new ManualCall({
      role,
      localStream: new MediaStream(),
      tracks: { audio: null, video: null },
      PeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
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

describe('parseChatMessage', () => {
  it('accepts chat messages and drops anything else', () => {
    expect(parseChatMessage({ type: 'chat', text: 'hello <b>', at: 5 })).toEqual({ text: 'hello <b>', sentAt: 5 });
    const bad = ['', 'chat', 7, null, [1], { type: 'chat', text: '', at: 5 }, { type: 'file', text: 'x', at: 5 }, { type: 'chat', text: 7, at: 5 }, { type: 'chat', text: 'x' }];
    for (const data of bad) expect(parseChatMessage(data), JSON.stringify(data)).toBeNull();
    expect(parseChatMessage(new ArrayBuffer(4))).toBeNull();
    expect(parseChatMessage({ type: 'chat', text: 'x'.repeat(11), at: 1 }, 10)).toBeNull();
  });
});
