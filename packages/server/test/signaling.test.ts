import { PROTOCOL_VERSION } from '@ponte/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } };
const candidates = { kind: 'candidates', candidates: [{ candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMid: '0' }] };

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ iceServers: [{ urls: 'stun:stun.example.org' }] });
});
afterEach(async () => {
  await h.stop();
});

describe('join', () => {
  it('answers joined with a minted id, the others, ICE servers and the cap', async () => {
    const a = await h.joined('room1', 'Ana');
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const b = await h.connect();
    b.send({ type: 'join', version: PROTOCOL_VERSION, room: 'room1', name: ' Bo ', state: { audio: true, video: true, screen: false } });
    const joined = await b.next('joined');
    expect(joined).toEqual({
      type: 'joined',
      version: PROTOCOL_VERSION,
      room: 'room1',
      self: joined.self,
      peers: [{ id: a.id, name: 'Ana', state: { audio: false, video: false, screen: false } }],
      iceServers: [{ urls: 'stun:stun.example.org' }],
      iceTransportPolicy: 'all',
      maxPeers: 8,
      resumeToken: expect.any(String),
    });
    expect(joined.self).not.toBe(a.id);
    expect(await a.client.next('peer-joined')).toEqual({
      type: 'peer-joined',
      peer: { id: joined.self, name: 'Bo', state: { audio: true, video: true, screen: false } },
    });
  });

  it('tells the others peer-joined before the newcomer can reach them', async () => {
    const a = await h.joined('room1');
    const b = await h.connect();
    b.send({ type: 'join', version: PROTOCOL_VERSION, room: 'room1', name: 'Bo' });
    const joined = await b.next('joined');
    // b's first offer, sent the moment it learns its id, must reach a after peer-joined.
    b.send({ type: 'signal', to: a.id, data: offer });
    expect((await a.client.next('peer-joined')).peer.id).toBe(joined.self);
    expect(await a.client.next('signal')).toEqual({ type: 'signal', from: joined.self, data: offer });
  });

  it('gives the newcomer joined before a signal sent to it the moment the others learn of it', async () => {
    const a = await h.joined('room1');
    const b = await h.connect();
    const offerOnPeerJoined = a.client.next('peer-joined').then((frame) => {
      a.client.send({ type: 'signal', to: frame.peer.id, data: offer });
    });
    b.send({ type: 'join', version: PROTOCOL_VERSION, room: 'room1', name: 'Bo' });
    await b.next('joined');
    await offerOnPeerJoined;
    expect(await b.next('signal')).toEqual({ type: 'signal', from: a.id, data: offer });
  });
});

describe('signal', () => {
  it('reaches only the named peer, with from stamped by the server', async () => {
    const a = await h.joined('room1', 'Ana');
    const b = await h.joined('room1', 'Bo');
    const c = await h.joined('room1', 'Cy');
    const d = await h.joined('room2', 'Di');
    a.client.send({ type: 'signal', to: b.id, data: offer });
    a.client.send({ type: 'signal', to: b.id, data: candidates });
    expect(await b.client.waitFor((f) => f.type === 'signal')).toEqual({ type: 'signal', from: a.id, data: offer });
    expect(await b.client.next('signal')).toEqual({ type: 'signal', from: a.id, data: candidates });
    // a's next update reaches c only after anything a sent before it: c saw no signal.
    a.client.send({ type: 'update', state: { audio: true } });
    await c.client.waitFor((f) => f.type === 'peer-updated');
    expect(c.client.frames.filter((f) => f.type === 'signal')).toEqual([]);
    await d.client.barrier();
    expect(d.client.unread).toEqual([]);
    expect(a.client.frames.filter((f) => f.type === 'signal' || f.type === 'error')).toEqual([]);
  });

  it('refuses a client-supplied from and relays the real sender', async () => {
    const a = await h.joined('room1');
    const b = await h.joined('room1');
    const c = await h.joined('room1');
    a.client.send({ type: 'signal', to: b.id, from: c.id, data: offer });
    expect(await a.client.waitFor((f) => f.type === 'error')).toMatchObject({ type: 'error', code: 'BAD_MESSAGE', ref: 'signal' });
    c.client.send({ type: 'signal', to: b.id, data: offer });
    const relayed = await b.client.waitFor((f) => f.type === 'signal');
    expect(relayed).toEqual({ type: 'signal', from: c.id, data: offer });
    expect(b.client.frames.filter((f) => f.type === 'signal')).toHaveLength(1);
  });

  it('answers UNKNOWN_PEER for an unknown target, a peer of another room, and self', async () => {
    const a = await h.joined('room1');
    const other = await h.joined('room2');
    for (const to of ['nobody-at-all', other.id, a.id]) {
      a.client.send({ type: 'signal', to, data: offer });
      expect(await a.client.nextError()).toMatchObject({ code: 'UNKNOWN_PEER', ref: 'signal' });
    }
    await other.client.barrier();
    expect(other.client.unread).toEqual([]);
  });
});

describe('update, leave and disconnect', () => {
  it('sends peer-updated with the full merged info to the others only', async () => {
    const a = await h.joined('room1', 'Ana');
    const b = await h.joined('room1', 'Bo');
    await a.client.next('peer-joined');
    b.client.send({ type: 'update', state: { video: true } });
    expect(await a.client.next('peer-updated')).toEqual({
      type: 'peer-updated',
      peer: { id: b.id, name: 'Bo', state: { audio: false, video: true, screen: false } },
    });
    b.client.send({ type: 'update', name: 'Bob', state: { audio: true } });
    expect((await a.client.next('peer-updated')).peer).toEqual({
      id: b.id,
      name: 'Bob',
      state: { audio: true, video: true, screen: false },
    });
    await b.client.barrier();
    expect(b.client.unread).toEqual([]);
  });

  it('tells the room peer-left "left" on leave, and the connection can join again', async () => {
    const a = await h.joined('room1');
    const b = await h.joined('room1');
    b.client.send({ type: 'leave' });
    expect(await a.client.waitFor((f) => f.type === 'peer-left')).toEqual({ type: 'peer-left', peer: b.id, reason: 'left' });
    b.client.send({ type: 'signal', to: a.id, data: offer });
    expect(await b.client.nextError()).toMatchObject({ code: 'NOT_IN_ROOM', ref: 'signal' });
    const again = await b.client.join('room1');
    expect(again.self).not.toBe(b.id);
    expect(again.peers.map((p) => p.id)).toEqual([a.id]);
    expect((await a.client.next('peer-joined')).peer.id).toBe(again.self);
  });

  it('tells the room peer-left "disconnected" when a socket closes', async () => {
    const a = await h.joined('room1');
    const b = await h.joined('room1');
    await b.client.close();
    expect(await a.client.waitFor((f) => f.type === 'peer-left')).toEqual({ type: 'peer-left', peer: b.id, reason: 'disconnected' });
  });

  it('removes rooms when they empty, as /healthz counts', async () => {
    const health = async () => (await h.server.app.inject({ method: 'GET', url: '/healthz' })).json<unknown>();
    expect(await health()).toMatchObject({ status: 'ok', rooms: 0, peers: 0 });
    const a = await h.joined('room1');
    const b = await h.joined('room1');
    const c = await h.joined('room2');
    expect(await health()).toMatchObject({ status: 'ok', rooms: 2, peers: 3 });
    c.client.send({ type: 'leave' });
    await c.client.barrier();
    await b.client.close();
    await a.client.waitFor((f) => f.type === 'peer-left');
    expect(await health()).toMatchObject({ status: 'ok', rooms: 1, peers: 1 });
    a.client.send({ type: 'leave' });
    a.client.send({ type: 'leave' });
    expect(await a.client.nextError()).toMatchObject({ code: 'NOT_IN_ROOM', ref: 'leave' });
    expect(await health()).toMatchObject({ status: 'ok', rooms: 0, peers: 0 });
  });
});

describe('room cap', () => {
  it('refuses the peer beyond the default cap of 8 with ROOM_FULL and leaves the others alone', async () => {
    const members = [];
    for (let i = 0; i < 8; i += 1) members.push(await h.joined('big'));
    const late = await h.connect();
    late.send({ type: 'join', version: PROTOCOL_VERSION, room: 'big', name: 'Late' });
    const error = await late.nextError();
    expect(error).toMatchObject({ type: 'error', code: 'ROOM_FULL', ref: 'join' });
    expect(error.message).toContain('8');
    // The socket stays open and may join elsewhere.
    expect((await late.join('small')).peers).toEqual([]);
    const first = members[0]!;
    await first.client.barrier();
    expect(first.client.frames.filter((f) => f.type === 'peer-joined')).toHaveLength(7);
    // The room still works: a member can leave and the late peer can then get in.
    members[7]!.client.send({ type: 'leave' });
    await first.client.waitFor((f) => f.type === 'peer-left');
    late.send({ type: 'leave' });
    expect((await late.join('big')).peers).toHaveLength(7);
  });
});

describe('configurable cap', () => {
  it('applies maxPeersPerRoom and reports it in joined', async () => {
    const small = await startHarness({ maxPeersPerRoom: 2 });
    try {
      const a = await small.joined('r');
      const joined = await (await small.connect()).join('r');
      expect(joined.maxPeers).toBe(2);
      const third = await small.connect();
      third.send({ type: 'join', version: PROTOCOL_VERSION, room: 'r', name: 'C' });
      expect(await third.nextError()).toMatchObject({ code: 'ROOM_FULL', message: expect.stringContaining('2') });
      await a.client.barrier();
      expect(a.client.unread.map((f) => f.type)).toEqual(['peer-joined']);
    } finally {
      await small.stop();
    }
  });
});
