import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JoinedFrame, PeerInfo } from '@ponte/protocol';
import { FakeMediaStream } from '../../test/fakePeerConnection.js';
import { fakePlatform, nthSocket, type FakePlatform, type FakeWebSocket } from '../../test/fakePlatform.js';
import type { RemotePeer } from './RemotePeer.js';
import { Room } from './Room.js';

const BRUNO: PeerInfo = { id: 'peer-b', name: 'Bruno', state: { audio: true, video: true, screen: false } };

function joinedFrame(peers: PeerInfo[]): JoinedFrame {
  return {
    type: 'joined',
    version: 1,
    room: 'standup',
    self: 'peer-a',
    peers,
    iceServers: [{ urls: 'stun:stun.example.org' }],
    iceTransportPolicy: 'all',
    maxPeers: 8,
    resumeToken: 'resume-token',
  };
}

/** Lets every queued promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Plays the server: accepts the next socket and answers its join with `joined`. */
async function serve(fake: FakePlatform, joined: JoinedFrame): Promise<FakeWebSocket> {
  const socket = await nthSocket(fake);
  socket.open();
  await socket.nextSent('join');
  socket.receive(joined);
  return socket;
}

describe('Room on a fake platform', () => {
  it('joins, and connects to each peer through the platform, exposing it as a RemotePeer only', async () => {
    const fake = fakePlatform();
    const room = new Room({ url: 'ws://signal.test/ws', room: 'standup', name: 'Ana', platform: fake.platform });
    const joinedPeers: RemotePeer[] = [];
    room.on('peer-joined', (peer) => joinedPeers.push(peer));
    const served = serve(fake, joinedFrame([BRUNO]));

    await expect(room.join({ audio: true, video: true })).resolves.toEqual({
      id: 'peer-a',
      name: 'Ana',
      state: { audio: true, video: true, screen: false },
    });
    const socket = await served;
    expect(socket.url).toBe('ws://signal.test/ws');
    expect(await socket.nextSent('join')).toMatchObject({ room: 'standup', name: 'Ana' });

    // One connection, made by the platform, with the server's ICE settings bundled.
    expect(fake.connections).toHaveLength(1);
    expect(fake.connections[0]?.configuration).toMatchObject({ bundlePolicy: 'max-bundle', iceServers: [{ urls: 'stun:stun.example.org' }] });

    const peer = room.peers.get('peer-b');
    expect(peer).toBeDefined();
    expect(joinedPeers).toEqual([peer]);
    expect(Object.keys(peer ?? {}).sort()).toEqual(['connectionState', 'id', 'name', 'state', 'stream']);
    expect(peer?.stream).toBeInstanceOf(FakeMediaStream);

    // We are the newcomer: our offer goes to Bruno through the server.
    const offer = await socket.nextSent('signal');
    expect(offer).toMatchObject({ to: 'peer-b', data: { kind: 'description', description: { type: 'offer' } } });
    socket.receive({ type: 'signal', from: 'peer-b', data: { kind: 'description', description: { type: 'answer', sdp: 'v=0\r\n' } } });
    await settle();
    expect(fake.connections[0]?.remoteDescription).toEqual({ type: 'answer', sdp: 'v=0\r\n' });

    expect(() => room.send({ hello: 1 }, { to: 'nobody' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_PEER' }));

    const left: string[] = [];
    room.on('peer-left', ({ peer: gone, reason }) => left.push(`${gone.id} ${reason}`));
    socket.receive({ type: 'peer-left', peer: 'peer-b', reason: 'left' });
    expect(left).toEqual(['peer-b left']);
    expect(room.peers.size).toBe(0);
    expect(fake.connections[0]?.closed).toBe(true);

    room.leave();
    expect(socket.sent.at(-1)).toEqual({ type: 'leave' });
    expect(socket.closedWith).toBe(1000);
    expect(fake.devices.live).toEqual([]);
  });

  it('uses the WebSocket and mediaDevices options over the platform', async () => {
    const fake = fakePlatform();
    const other = fakePlatform();
    const room = new Room({
      url: 'ws://signal.test/ws',
      room: 'standup',
      name: 'Ana',
      platform: fake.platform,
      WebSocket: other.platform.WebSocket,
      mediaDevices: other.devices,
    });
    const served = serve(other, joinedFrame([]));
    await room.join({ audio: true, video: false });
    await served;
    expect(fake.sockets).toHaveLength(0);
    expect(fake.devices.tracks).toHaveLength(0);
    expect(other.devices.live.map((track) => track.kind)).toEqual(['audio']);
    room.leave();
  });

  describe('after a resume', () => {
    afterEach(() => vi.useRealTimers());

    it('keeps the peers the server lists, and takes one it does not as gone after peerReturnTimeoutMs unless it returns', async () => {
      vi.useFakeTimers();
      const fake = fakePlatform();
      const room = new Room({ url: 'ws://signal.test/ws', room: 'standup', name: 'Ana', platform: fake.platform, peerReturnTimeoutMs: 5_000 });
      const carla: PeerInfo = { ...BRUNO, id: 'peer-c', name: 'Carla' };
      const dario: PeerInfo = { ...BRUNO, id: 'peer-d', name: 'Dario' };
      const served = serve(fake, joinedFrame([BRUNO, carla, dario]));
      await room.join({ audio: false, video: false });
      (await served).drop(1006);
      const left: string[] = [];
      room.on('peer-left', ({ peer, reason }) => left.push(`${peer.id} ${reason}`));
      const reconnected: boolean[] = [];
      room.on('reconnected', ({ resumed }) => reconnected.push(resumed));

      await vi.advanceTimersByTimeAsync(250); // the longest first backoff delay
      const socket = await nthSocket(fake, 1);
      socket.open();
      expect(await socket.nextSent('resume')).toMatchObject({ token: 'resume-token', received: 0 });
      socket.receive({ ...joinedFrame([BRUNO]), type: 'resumed', lapsed: false, replayFrom: 0 });
      await vi.advanceTimersByTimeAsync(0);
      expect(reconnected).toEqual([true]);
      expect([...room.peers.keys()]).toEqual(['peer-b', 'peer-c', 'peer-d']);

      await vi.advanceTimersByTimeAsync(4_999);
      socket.receive({ type: 'peer-joined', peer: carla });
      expect(left).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(left).toEqual(['peer-d disconnected']);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(left).toEqual(['peer-d disconnected']);
      expect([...room.peers.keys()]).toEqual(['peer-b', 'peer-c']);
      room.leave();
    });
  });

  describe('join bounds', () => {
    afterEach(() => vi.useRealTimers());

    it('an abort while capturing rejects with ABORTED, opens no socket, and releases what the capture brings', async () => {
      const fake = fakePlatform();
      fake.devices.holdCaptures = true;
      const room = new Room({ url: 'ws://signal.test/ws', room: 'standup', name: 'Ana', platform: fake.platform });
      const controller = new AbortController();
      const joining = room.join({ audio: true, video: true }, { signal: controller.signal });
      const reason = new Error('the user went back');
      controller.abort(reason);
      await expect(joining).rejects.toMatchObject({ code: 'ABORTED', cause: reason });
      fake.devices.release();
      await settle();
      expect(fake.devices.tracks.length).toBeGreaterThan(0);
      expect(fake.devices.live).toEqual([]);
      expect(fake.sockets).toHaveLength(0);
    });

    it('an abort while waiting for the server rejects with ABORTED, releases the devices and closes the socket', async () => {
      const fake = fakePlatform();
      const room = new Room({ url: 'ws://signal.test/ws', room: 'standup', name: 'Ana', platform: fake.platform });
      const controller = new AbortController();
      const joining = room.join({ audio: true, video: false }, { signal: controller.signal });
      const socket = await nthSocket(fake);
      socket.open();
      await socket.nextSent('join');
      expect(fake.devices.live).toHaveLength(1);
      controller.abort();
      await expect(joining).rejects.toMatchObject({ code: 'ABORTED' });
      expect(fake.devices.live).toEqual([]);
      expect(socket.closedWith).toBe(1000);
      await expect(room.join()).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });

    it('a signal aborted already stops the join before anything starts', async () => {
      const fake = fakePlatform();
      const room = new Room({ url: 'ws://signal.test/ws', room: 'standup', name: 'Ana', platform: fake.platform });
      await expect(room.join({ audio: true, video: true }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
      expect(fake.devices.tracks).toEqual([]);
      expect(fake.sockets).toEqual([]);
    });

    it('a join the server does not answer within answerTimeoutMs rejects with TIMEOUT and releases everything', async () => {
      vi.useFakeTimers();
      const fake = fakePlatform();
      const room = new Room({ url: 'ws://signal.test/ws', room: 'standup', name: 'Ana', platform: fake.platform, answerTimeoutMs: 1_000 });
      let outcome: unknown = 'pending';
      room.join({ audio: true, video: false }).catch((error: unknown) => (outcome = error));
      const socket = await nthSocket(fake);
      socket.open();
      await socket.nextSent('join');
      await vi.advanceTimersByTimeAsync(999);
      expect(outcome).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toMatchObject({ code: 'TIMEOUT', reason: 'join' });
      expect(fake.devices.live).toEqual([]);
      expect(socket.closedWith).toBe(1000);
    });

    it('a socket that does not open within connectTimeoutMs fails the join with CONNECTION_FAILED', async () => {
      vi.useFakeTimers();
      const fake = fakePlatform();
      const room = new Room({ url: 'ws://signal.test/ws', room: 'standup', name: 'Ana', platform: fake.platform, connectTimeoutMs: 1_000 });
      let outcome: unknown = 'pending';
      room.join({ audio: false, video: false }).catch((error: unknown) => (outcome = error));
      await nthSocket(fake);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(outcome).toMatchObject({ code: 'CONNECTION_FAILED', reason: 'timeout' });
    });
  });
});
