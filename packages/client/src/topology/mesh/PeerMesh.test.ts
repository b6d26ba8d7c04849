import { describe, expect, it } from 'vitest';
import type { PeerInfo, SignalData } from '@ponte/protocol';
import { fakeStream } from '../../../test/fakePeerConnection.js';
import { fakePlatform } from '../../../test/fakePlatform.js';
import type { MediaTopologyEvents } from '../MediaTopology.js';
import { PeerMesh } from './PeerMesh.js';

const state = { audio: false, video: false, screen: false };
const info = (id: string, name = id): PeerInfo => ({ id, name, state });
const answer: SignalData = { kind: 'description', description: { type: 'answer', sdp: 'v=0\r\n' } };

/** Lets every queued promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function startMesh(): { mesh: PeerMesh; fake: ReturnType<typeof fakePlatform>; events: string[]; signals: [string, SignalData][] } {
  const fake = fakePlatform();
  const events: string[] = [];
  const signals: [string, SignalData][] = [];
  const mesh = new PeerMesh({
    platform: fake.platform,
    local: { stream: fakeStream(), track: () => null },
    signal: (to, data) => signals.push([to, data]),
    emit: <K extends keyof MediaTopologyEvents>(name: K, payload: MediaTopologyEvents[K]) => {
      const peer = (payload as { peer?: { id: string }; id?: string }).peer ?? payload;
      events.push(`${name} ${(peer as { id?: string }).id ?? ''}`.trim());
    },
    sendSfu: () => {},
    relay: () => {},
    rtcConfig: { iceCandidatePoolSize: 1 },
  });
  mesh.setSelfId('self');
  return { mesh, fake, events, signals };
}

describe('PeerMesh (the mesh topology) on a fake platform', () => {
  it('makes one connection per peer with the ICE settings, our rtcConfig over them', () => {
    const { mesh, fake } = startMesh();
    mesh.configureIce({ iceServers: [{ urls: 'turn:turn.example.org', username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' });
    mesh.addPeer(info('p1'), true);
    mesh.addPeer(info('p2'), false);
    expect(fake.connections).toHaveLength(2);
    expect(fake.connections[0]?.configuration).toEqual({
      bundlePolicy: 'max-bundle',
      iceServers: [{ urls: 'turn:turn.example.org', username: 'u', credential: 'c' }],
      iceTransportPolicy: 'relay',
      iceCandidatePoolSize: 1,
    });
    mesh.configureIce({ iceServers: [] });
    expect(fake.connections[1]?.configuration).toMatchObject({ iceServers: [], iceTransportPolicy: 'relay' });
    mesh.close();
    expect(fake.connections.every((connection) => connection.closed)).toBe(true);
    expect(mesh.peers.size).toBe(0);
  });

  it('adds a peer once, updates it in place, and removes it with peer-left', () => {
    const { mesh, events } = startMesh();
    mesh.addPeer(info('p1', 'Ana'), false);
    const peer = mesh.peers.get('p1');
    mesh.addPeer(info('p1', 'Ana B.'), false);
    expect(mesh.peers.get('p1')).toBe(peer);
    expect(peer?.name).toBe('Ana B.');
    mesh.removePeer('p1', 'left');
    mesh.removePeer('p1', 'left');
    expect(events).toEqual(['peer-joined p1', 'peer-updated p1', 'peer-left p1']);
  });

  it('holds the signals of a peer not introduced yet and hands them over when it is', async () => {
    const { mesh, fake } = startMesh();
    mesh.routeSignal('p1', answer);
    expect(fake.connections).toHaveLength(0);
    mesh.addPeer(info('p1'), true);
    await settle();
    expect(fake.connections[0]?.remoteDescription).toEqual({ type: 'answer', sdp: 'v=0\r\n' });
  });

  it('gives the data link of each peer named, and UNKNOWN_PEER for a stranger', () => {
    const { mesh } = startMesh();
    mesh.addPeer(info('p1'), true);
    mesh.addPeer(info('p2'), true);
    expect(mesh.dataTargets(undefined).map((target) => target.peerId)).toEqual(['p1', 'p2']);
    expect(mesh.dataTargets('p2').map((target) => target.peerId)).toEqual(['p2']);
    expect(() => mesh.dataTargets(['p1', 'p3'])).toThrow(expect.objectContaining({ code: 'UNKNOWN_PEER' }));
  });

  it('reports statistics per peer with the video cap of the uplink budget', async () => {
    const { mesh } = startMesh();
    mesh.addPeer(info('p1'), true);
    mesh.addPeer(info('p2'), true);
    const stats = await mesh.stats();
    expect(stats.map((entry) => [entry.peerId, entry.videoBitrateCapKbps])).toEqual([
      ['p1', 1250],
      ['p2', 1250],
    ]);
  });
});
