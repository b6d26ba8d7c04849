import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignalData } from '@ponte/protocol';
import { FakePeerConnection, fakeMediaPlatform, fakeStream } from '../../../test/fakePeerConnection.js';
import { PeerSession, type PeerSessionOptions } from './PeerSession.js';

/** A session whose peer id sorts after ours is polite (see `isPolite`). */
function startSession(polite: boolean): { session: PeerSession; pc: FakePeerConnection } {
  const session = new PeerSession({
    selfId: polite ? 'a-peer' : 'z-peer',
    peerId: 'm-peer',
    rtcConfig: {},
    initiator: false,
    localStream: fakeStream(),
    tracks: { audio: null, video: null },
    sendSignal: () => {},
    disconnectedRestartMs: 4_000,
    restartRetryMs: 5_000,
    platform: fakeMediaPlatform,
  });
  const pc = FakePeerConnection.instances.at(-1);
  if (!pc) throw new Error('no connection was made');
  session.on('error', () => {});
  pc.become('connected');
  return { session, pc };
}

const restartOffer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } as const;

describe('PeerSession ICE restarts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the impolite side restarts after disconnectedRestartMs, then every restartRetryMs until connected', async () => {
    const { session, pc } = startSession(false);
    pc.become('disconnected');
    await vi.advanceTimersByTimeAsync(3_999);
    expect(pc.restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pc.restarts).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pc.restarts).toBe(2);
    pc.become('connected');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(pc.restarts).toBe(2);
    session.close();
  });

  it('the polite side leaves the restart to the impolite side while its offers keep coming', async () => {
    const { session, pc } = startSession(true);
    pc.become('disconnected');
    await vi.advanceTimersByTimeAsync(4_000);
    await session.handleSignal(restartOffer);
    for (let retry = 0; retry < 4; retry += 1) {
      await vi.advanceTimersByTimeAsync(5_000);
      await session.handleSignal(restartOffer);
    }
    expect(pc.restarts).toBe(0);
    pc.become('connected');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(pc.restarts).toBe(0);
    session.close();
  });

  it('the polite side restarts by itself after twice restartRetryMs without an offer', async () => {
    const { session, pc } = startSession(true);
    pc.become('failed');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(pc.restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pc.restarts).toBe(1);
    // Then it retries like the impolite side until connected.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pc.restarts).toBe(2);
    session.close();
  });
});

function startTrickleSession(options: Partial<PeerSessionOptions>): { sent: SignalData[]; pc: FakePeerConnection; session: PeerSession } {
  const sent: SignalData[] = [];
  const session = new PeerSession({
    selfId: 'caller',
    peerId: 'callee',
    rtcConfig: {},
    initiator: true,
    localStream: fakeStream(),
    tracks: { audio: null, video: null },
    sendSignal: (data) => sent.push(data),
    platform: fakeMediaPlatform,
    ...options,
  });
  const pc = FakePeerConnection.instances.at(-1);
  if (!pc) throw new Error('no connection was made');
  return { sent, pc, session };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PeerSession with trickle: false', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends no candidate alone and the offer only once gathering completes, holding every candidate', async () => {
    const { sent, pc } = startTrickleSession({ trickle: false });
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
    const { sent, pc, session } = startTrickleSession({ trickle: false, initiator: false, selfId: 'callee', peerId: 'caller' });
    await session.handleSignal({ kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } });
    pc.find('candidate:3 1 udp 1 192.0.2.3 6000 typ host');
    expect(sent).toEqual([]);
    pc.completeGathering();
    await settle();
    expect(sent.map((data) => (data.kind === 'description' ? data.description.type : data.kind))).toEqual(['answer']);
  });

  it('sends what it has after the gathering timeout', async () => {
    vi.useFakeTimers();
    const { sent, pc } = startTrickleSession({ trickle: false, gatheringTimeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(0);
    pc.find('candidate:1 1 udp 1 192.0.2.2 5000 typ host');
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(1);
  });

  it('still trickles by default: the offer at once, then each candidate', async () => {
    const { sent, pc } = startTrickleSession({});
    await settle();
    pc.find('candidate:1 1 udp 1 192.0.2.2 5000 typ host');
    expect(sent.map((data) => data.kind)).toEqual(['description', 'candidates']);
  });
});
