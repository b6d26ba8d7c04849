import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeerSession } from './PeerSession.js';

/** Just enough of `RTCPeerConnection` for PeerSession's connection-state and ICE-restart paths. */
class FakeConnection {
  static last: FakeConnection | undefined;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: unknown = null;
  ontrack: unknown = null;
  onconnectionstatechange: (() => void) | null = null;
  onicecandidateerror: unknown = null;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  restarts = 0;

  constructor() {
    FakeConnection.last = this;
  }

  restartIce(): void {
    this.restarts += 1;
  }

  getTransceivers(): unknown[] {
    return [];
  }

  async setLocalDescription(): Promise<void> {
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
    this.localDescription = { type, sdp: `v=0\r\n` };
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  close(): void {}

  /** The connection moves to `state`, as the browser reports it. */
  become(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
}

class FakeMediaStream {
  getTracks(): MediaStreamTrack[] {
    return [];
  }
}

/** A session whose peer id sorts after ours is polite (see `isPolite`). */
function startSession(polite: boolean): { session: PeerSession; pc: FakeConnection } {
  const session = new PeerSession({
    selfId: polite ? 'a-peer' : 'z-peer',
    peerId: 'm-peer',
    rtcConfig: {},
    initiator: false,
    localStream: new MediaStream(),
    tracks: { audio: null, video: null },
    sendSignal: () => {},
    disconnectedRestartMs: 4_000,
    restartRetryMs: 5_000,
    PeerConnection: FakeConnection as unknown as typeof RTCPeerConnection,
  });
  const pc = FakeConnection.last;
  if (!pc) throw new Error('no connection was made');
  session.on('error', () => {});
  pc.become('connected');
  return { session, pc };
}

const restartOffer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } as const;

describe('PeerSession ICE restarts', () => {
  beforeEach(() => {
    vi.stubGlobal('MediaStream', FakeMediaStream);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
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
