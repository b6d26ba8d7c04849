import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientFrame, JoinedFrame, PeerInfo, TopologyMode } from '@ponte/protocol';
import type { FakePeerConnection } from '../../test/fakePeerConnection.js';
import { fakePlatform, FakeTrack, nthSocket, type FakePlatform, type FakeWebSocket } from '../../test/fakePlatform.js';
import { avStreams, sfuOffer } from '../../test/sfuSdp.js';
import type { RemotePeer } from './RemotePeer.js';
import { Room } from './Room.js';

const sending = { audio: true, video: true, screen: false };
const BRUNO: PeerInfo = { id: 'peer-b', name: 'Bruno', state: sending };
const CARLA: PeerInfo = { id: 'peer-c', name: 'Carla', state: sending };

function joinedFrame(peers: PeerInfo[], topology: TopologyMode): JoinedFrame {
  return {
    type: 'joined',
    version: 1,
    room: 'standup',
    self: 'peer-a',
    peers,
    iceServers: [],
    iceTransportPolicy: 'all',
    maxPeers: 8,
    resumeToken: 'resume-token',
    topology,
  };
}

/** A mesh connection receives the peer's audio and video, as the browser's `track` events. */
function meshTracks(pc: FakePeerConnection): FakeTrack[] {
  const tracks = [new FakeTrack('audio'), new FakeTrack('video')];
  for (const track of tracks) (pc.ontrack as (event: { track: unknown }) => void)({ track });
  return tracks;
}

const ids = (peer: RemotePeer | undefined): string[] => peer?.stream.getTracks().map((track) => track.id) ?? [];
const sentOf = <T extends ClientFrame['type']>(socket: FakeWebSocket, type: T) =>
  socket.sent.filter((frame): frame is Extract<ClientFrame, { type: T }> => frame.type === type);

async function joinRoom(
  fake: FakePlatform,
  peers: PeerInfo[],
  topology: TopologyMode,
): Promise<{ room: Room; socket: FakeWebSocket; log: string[] }> {
  const room = new Room({ url: 'ws://signal.test/ws', room: 'standup', name: 'Ana', platform: fake.platform });
  const log: string[] = [];
  room.on('peer-joined', (peer) => log.push(`peer-joined ${peer.id}`));
  room.on('peer-left', ({ peer }) => log.push(`peer-left ${peer.id}`));
  room.on('track', ({ peer, track }) => log.push(`track ${peer.id} ${track.id}`));
  room.on('topology', ({ mode }) => log.push(`topology ${mode}`));
  const joining = room.join({ audio: true, video: true });
  const socket = await nthSocket(fake);
  socket.open();
  await socket.nextSent('join');
  socket.receive(joinedFrame(peers, topology));
  await joining;
  return { room, socket, log };
}

describe('Room switching between a mesh and an SFU (make-before-break)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps the mesh media until the SFU tracks show frames, moves each peer then, closes the mesh, and comes back the same way', async () => {
    const fake = fakePlatform();
    const { room, socket, log } = await joinRoom(fake, [BRUNO, CARLA], 'mesh');
    expect((await socket.nextSent('join')).features).toEqual(['resume', 'sfu']);
    const [meshB, meshC] = fake.connections as [FakePeerConnection, FakePeerConnection];
    const bruno = room.peers.get('peer-b');
    const carla = room.peers.get('peer-c');
    const meshBTracks = meshTracks(meshB).map((track) => track.id);
    meshTracks(meshC);
    expect(ids(bruno)).toEqual(meshBTracks);

    // The fifth person came: the server moves the room to the SFU.
    socket.receive({ type: 'topology', mode: 'sfu' });
    expect(room.topology).toBe('sfu');
    await vi.advanceTimersByTimeAsync(0);
    const [publisher, subscriber] = fake.connections.slice(2) as [FakePeerConnection, FakePeerConnection];
    expect(sentOf(socket, 'sfu-subscribe')).toHaveLength(1);
    expect(sentOf(socket, 'sfu-publish')).toHaveLength(1);
    expect(publisher.transceivers.map((t) => t.sendEncodings?.map((e) => e.rid))).toEqual([undefined, ['q', 'h', 'f']]);
    socket.receive({ type: 'sfu-published', description: { type: 'answer', sdp: 'v=0\r\n' } });
    socket.receive(sfuOffer(avStreams('peer-b', 'peer-c')));
    await vi.advanceTimersByTimeAsync(500);
    // The SFU tracks are there but show nothing yet: the tiles stay on the mesh.
    expect(ids(bruno)).toEqual(meshBTracks);
    expect(meshB.closed).toBe(false);

    // Bruno's SFU video and audio decode: his tile moves; Carla's stays on the mesh.
    const sfuB = [subscriber.remoteTrack('0').id, subscriber.remoteTrack('1').id];
    subscriber.showMedia({ [sfuB[0] as string]: 3, [sfuB[1] as string]: 1 });
    // Two looks at the statistics: the media must advance between them.
    await vi.advanceTimersByTimeAsync(200);
    expect(ids(bruno)).toEqual(sfuB);
    // Bruno is told we show him through the SFU now.
    expect(sentOf(socket, 'message')).toEqual([{ type: 'message', to: ['peer-b'], data: { moved: 'sfu' } }]);
    expect(log.filter((entry) => entry.startsWith('track peer-b')).slice(-2)).toEqual(sfuB.map((id) => `track peer-b ${id}`));
    expect(ids(carla)).not.toContain(subscriber.remoteTrack('3').id);
    expect(meshB.closed || meshC.closed).toBe(false);

    // Messages go through the server while the room is carried by the SFU.
    room.send({ hi: 1 }, { to: 'peer-b' });
    expect(sentOf(socket, 'message').at(-1)).toEqual({ type: 'message', to: ['peer-b'], data: { json: { hi: 1 } } });
    expect(() => room.sendFile(new Blob(['x']), { to: 'peer-b' })).toThrow(expect.objectContaining({ code: 'SFU_UNSUPPORTED' }));
    const messages: unknown[] = [];
    room.on('message', ({ from, data }) => messages.push([from, data]));
    socket.receive({ type: 'message', from: 'peer-c', data: { json: 'hello' } });
    expect(messages).toEqual([[carla, 'hello']]);

    subscriber.showMedia({ [subscriber.remoteTrack('2').id]: 5, [subscriber.remoteTrack('3').id]: 2 });
    await vi.advanceTimersByTimeAsync(200);
    expect(ids(carla)).toEqual([subscriber.remoteTrack('2').id, subscriber.remoteTrack('3').id]);
    // We moved everyone: the mesh stays until both say they show us through the SFU too.
    socket.receive({ type: 'message', from: 'peer-b', data: { moved: 'sfu' } });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(meshB.closed).toBe(false);
    expect(messages).toHaveLength(1);
    socket.receive({ type: 'message', from: 'peer-c', data: { moved: 'sfu' } });
    expect(meshB.closed && meshC.closed).toBe(true);
    expect(publisher.closed || subscriber.closed).toBe(false);

    // Down to three: back to a mesh, the same way. Bruno's id is above ours: he offers.
    socket.receive({ type: 'topology', mode: 'mesh' });
    expect(room.topology).toBe('mesh');
    await vi.advanceTimersByTimeAsync(0);
    const [newB, newC] = fake.connections.slice(4) as [FakePeerConnection, FakePeerConnection];
    socket.receive({ type: 'signal', from: 'peer-b', data: { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } });
    await vi.advanceTimersByTimeAsync(0);
    expect(newB.remoteDescription?.type).toBe('offer');
    const backB = meshTracks(newB).map((track) => track.id);
    const backC = meshTracks(newC).map((track) => track.id);
    await vi.advanceTimersByTimeAsync(300);
    expect(ids(bruno)).toEqual(sfuB);
    newB.showMedia(Object.fromEntries(backB.map((id) => [id, 1])));
    newC.showMedia(Object.fromEntries(backC.map((id) => [id, 1])));
    await vi.advanceTimersByTimeAsync(200);
    expect(ids(bruno)).toEqual(backB);
    expect(ids(carla)).toEqual(backC);
    // Carla never says she moved: the SFU connections close after closeDelayMs anyway.
    socket.receive({ type: 'message', from: 'peer-b', data: { moved: 'mesh' } });
    await vi.advanceTimersByTimeAsync(4_800);
    expect(publisher.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(publisher.closed && subscriber.closed).toBe(true);
    expect(newB.closed || newC.closed).toBe(false);

    // The same peers throughout: joined once, never left.
    expect(room.peers.get('peer-b')).toBe(bruno);
    expect(log.filter((entry) => entry.startsWith('peer-'))).toEqual(['peer-joined peer-b', 'peer-joined peer-c']);
    expect(log.filter((entry) => entry.startsWith('topology'))).toEqual(['topology sfu', 'topology mesh']);
    room.leave();
  });

  it('undoes a switch the server takes back: the peers moved go back to their old tracks, and the new connections close', async () => {
    const fake = fakePlatform();
    const { room, socket, log } = await joinRoom(fake, [BRUNO, CARLA], 'mesh');
    const [meshB, meshC] = fake.connections as [FakePeerConnection, FakePeerConnection];
    const meshBTracks = meshTracks(meshB).map((track) => track.id);
    meshTracks(meshC);
    socket.receive({ type: 'topology', mode: 'sfu' });
    await vi.advanceTimersByTimeAsync(0);
    const [publisher, subscriber] = fake.connections.slice(2) as [FakePeerConnection, FakePeerConnection];
    socket.receive(sfuOffer(avStreams('peer-b', 'peer-c')));
    await vi.advanceTimersByTimeAsync(0);
    subscriber.showMedia({ [subscriber.remoteTrack('0').id]: 1, [subscriber.remoteTrack('1').id]: 1 });
    await vi.advanceTimersByTimeAsync(200);
    expect(ids(room.peers.get('peer-b'))).not.toEqual(meshBTracks);

    socket.receive({ type: 'topology', mode: 'mesh' });
    expect(room.topology).toBe('mesh');
    expect(ids(room.peers.get('peer-b'))).toEqual(meshBTracks);
    expect(publisher.closed && subscriber.closed).toBe(true);
    expect(meshB.closed || meshC.closed).toBe(false);
    expect(sentOf(socket, 'message').map((frame) => [frame.to, frame.data])).toContainEqual([['peer-b'], { moved: 'mesh' }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(meshB.closed || meshC.closed).toBe(false);
    expect(log.filter((entry) => entry.startsWith('peer-left'))).toEqual([]);
    room.leave();
  });

  it('moves a peer anyway after switchTimeoutMs when its new media never shows', async () => {
    const fake = fakePlatform();
    const { room, socket } = await joinRoom(fake, [BRUNO], 'mesh');
    const [mesh] = fake.connections as [FakePeerConnection];
    meshTracks(mesh);
    socket.receive({ type: 'topology', mode: 'sfu' });
    await vi.advanceTimersByTimeAsync(0);
    const subscriber = fake.connections[2] as FakePeerConnection;
    socket.receive(sfuOffer(avStreams('peer-b')));
    await vi.advanceTimersByTimeAsync(7_999);
    expect(mesh.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(ids(room.peers.get('peer-b'))).toEqual([subscriber.remoteTrack('0').id, subscriber.remoteTrack('1').id]);
    socket.receive({ type: 'message', from: 'peer-b', data: { moved: 'sfu' } });
    expect(mesh.closed).toBe(true);
    room.leave();
  });

  it('joins a room already carried by the SFU without a mesh, and publishes again after a resume', async () => {
    const fake = fakePlatform();
    const { room, socket, log } = await joinRoom(fake, [BRUNO, CARLA], 'sfu');
    await vi.advanceTimersByTimeAsync(0);
    expect(room.topology).toBe('sfu');
    expect(fake.connections).toHaveLength(2);
    expect(sentOf(socket, 'signal')).toEqual([]);
    socket.receive(sfuOffer(avStreams('peer-b')));
    await vi.advanceTimersByTimeAsync(0);
    expect(ids(room.peers.get('peer-b'))).toHaveLength(2);

    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(250);
    const second = await nthSocket(fake, 1);
    second.open();
    expect(await second.nextSent('resume')).toMatchObject({ received: 0 });
    second.receive({ ...joinedFrame([BRUNO, CARLA], 'sfu'), type: 'resumed', lapsed: false, replayFrom: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.connections.slice(0, 2).every((pc) => pc.closed)).toBe(true);
    expect(sentOf(second, 'sfu-subscribe')).toHaveLength(1);
    expect(sentOf(second, 'sfu-publish')).toHaveLength(1);
    expect(log.filter((entry) => entry.startsWith('peer-left'))).toEqual([]);
    room.leave();
  });

  it('counts topology and message frames for replay, not the SFU answers', async () => {
    const fake = fakePlatform();
    const { socket } = await joinRoom(fake, [BRUNO, CARLA, { ...BRUNO, id: 'peer-d' }, { ...BRUNO, id: 'peer-e' }], 'sfu');
    socket.receive({ type: 'sfu-speaking', peers: ['peer-b'] });
    socket.receive(sfuOffer(avStreams('peer-b')));
    socket.receive({ type: 'message', from: 'peer-b', data: { json: 1 } });
    socket.receive({ type: 'topology', mode: 'mesh' });
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(250);
    const second = await nthSocket(fake, 1);
    second.open();
    expect(await second.nextSent('resume')).toMatchObject({ received: 2 });
  });
});
