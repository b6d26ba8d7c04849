import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryRoomAdapter } from './memory/MemoryRoomAdapter.js';
import type { EncodedFrame } from './EncodedFrame.js';
import { mintPeerId, RoomRegistry, type PeerSink } from './RoomRegistry.js';

const state = { audio: false, video: true, screen: false };

function setup(maxPeersPerRoom = 8) {
  let n = 0;
  const registry = new RoomRegistry({
    adapter: new MemoryRoomAdapter(),
    maxPeersPerRoom,
    mintPeerId: () => `p${++n}`,
  });
  const inbox = new Map<string, unknown[]>();
  const sink = (name: string) => {
    const frames: unknown[] = [];
    inbox.set(name, frames);
    return ({ bytes }: EncodedFrame) => frames.push(JSON.parse(bytes.toString()));
  };
  return { registry, inbox, sink };
}

describe('mintPeerId', () => {
  it('mints 16 URL-safe characters, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, mintPeerId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});

describe('RoomRegistry', () => {
  it('mints ids, tells the others peer-joined, and returns the others', async () => {
    const { registry, inbox, sink } = setup();
    const a = await registry.join({ room: 'r', name: 'Ana', state, sink: sink('a') });
    const b = await registry.join({ room: 'r', name: 'Bo', state, sink: sink('b') });
    expect(a).toEqual({ ok: true, self: { id: 'p1', name: 'Ana', state }, peers: [] });
    expect(b).toEqual({ ok: true, self: { id: 'p2', name: 'Bo', state }, peers: [{ id: 'p1', name: 'Ana', state }] });
    expect(inbox.get('a')).toEqual([{ type: 'peer-joined', peer: { id: 'p2', name: 'Bo', state } }]);
    expect(inbox.get('b')).toEqual([]);
  });

  it('refuses a join into a full room and keeps no sink for it', async () => {
    const { registry, inbox, sink } = setup(1);
    await registry.join({ room: 'r', name: 'Ana', state, sink: sink('a') });
    expect(await registry.join({ room: 'r', name: 'Bo', state, sink: sink('b') })).toEqual({ ok: false, reason: 'full' });
    expect(registry.localPeers).toBe(1);
    expect(inbox.get('a')).toEqual([]);
  });

  it('relays a signal with the sender stamped, only within the room and never to self', async () => {
    const { registry, inbox, sink } = setup();
    await registry.join({ room: 'r', name: 'Ana', state, sink: sink('a') });
    await registry.join({ room: 'r', name: 'Bo', state, sink: sink('b') });
    await registry.join({ room: 's', name: 'Cy', state, sink: sink('c') });
    const data = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } as const;
    // The sender's own text, spacing and all, is what is relayed.
    const text = Buffer.from(' { "kind": "description", "description": {"type": "offer", "sdp": "v=0\\r\\n"} }');
    expect(await registry.signal('r', 'p1', 'p2', text)).toBe(true);
    expect(await registry.signal('r', 'p1', 'p3', text)).toBe(false);
    expect(await registry.signal('r', 'p1', 'p1', text)).toBe(false);
    expect(inbox.get('b')).toEqual([{ type: 'signal', from: 'p1', data }]);
    expect(inbox.get('c')).toEqual([]);
    expect(inbox.get('a')).toEqual([{ type: 'peer-joined', peer: { id: 'p2', name: 'Bo', state } }]);
  });

  it('tells the others about updates and leaves, and stops delivering to a leaver', async () => {
    const { registry, inbox, sink } = setup();
    await registry.join({ room: 'r', name: 'Ana', state, sink: sink('a') });
    await registry.join({ room: 'r', name: 'Bo', state, sink: sink('b') });
    inbox.get('a')!.length = 0;
    await registry.update('r', { id: 'p2', name: 'Bob', state });
    await registry.leave('r', 'p1', 'timeout');
    expect(inbox.get('a')).toEqual([{ type: 'peer-updated', peer: { id: 'p2', name: 'Bob', state } }]);
    expect(inbox.get('b')).toEqual([{ type: 'peer-left', peer: 'p1', reason: 'timeout' }]);
    await registry.leave('r', 'p1', 'left');
    expect(inbox.get('b')).toHaveLength(1);
    await registry.leave('r', 'p2', 'left');
    expect(await registry.stats()).toEqual({ rooms: 0, peers: 0 });
  });
});

describe('RoomRegistry on two processes sharing the room seams', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a stale grace timer on one process remove nothing once the peer resumed on another', async () => {
    vi.useFakeTimers();
    const onA = new MemoryRoomAdapter();
    const onB = onA.anotherProcess();
    let n = 0;
    const options = { maxPeersPerRoom: 8, reconnectGraceMs: 1000, mintPeerId: () => `p${++n}` };
    const a = new RoomRegistry({ ...options, adapter: onA });
    const b = new RoomRegistry({ ...options, adapter: onB });
    const into =
      (frames: unknown[]): PeerSink =>
      ({ bytes }) =>
        frames.push(JSON.parse(bytes.toString()));
    const resumedFrames: unknown[] = [];
    const watcher: unknown[] = [];
    const anaSink = into([]);
    const cySink = into([]);
    const ana = await a.join({ room: 'r', name: 'Ana', state, sink: anaSink });
    const cy = await a.join({ room: 'r', name: 'Cy', state, sink: cySink });
    const bo = await b.join({ room: 'r', name: 'Bo', state, sink: into(watcher) });
    if (!ana.ok || !cy.ok || !bo.ok) throw new Error('a join failed');
    // Both of A's peers lose their sockets; A holds them and starts its grace timers.
    await a.detach('r', ana.self.id, anaSink);
    await a.detach('r', cy.self.id, cySink);
    // A signal for the held Ana is logged on A; she resumes on B and gets it replayed.
    expect(await b.signal('r', bo.self.id, ana.self.id, Buffer.from('{"kind":"ping"}'))).toBe(true);
    const resumed = await b.resume({ room: 'r', peer: ana.self, received: 2, sink: into(resumedFrames), onSuperseded: () => {} });
    expect(resumed).toMatchObject({ ok: true, lapsed: false, replayFrom: 2 });
    expect(resumed.ok && resumed.replay.map((f) => JSON.parse(f.bytes.toString()) as unknown)).toEqual([
      { type: 'signal', from: bo.self.id, data: { kind: 'ping' } },
    ]);
    // A's timers fire: Cy, who did not come back, is let go; Ana, back on B, stays.
    await vi.advanceTimersByTimeAsync(1000);
    await vi.waitFor(() => expect(watcher).toContainEqual({ type: 'peer-left', peer: cy.self.id, reason: 'disconnected' }));
    expect(watcher.filter((f) => (f as { peer?: unknown }).peer === ana.self.id)).toEqual([]);
    expect(await b.signal('r', bo.self.id, ana.self.id, Buffer.from('{"kind":"pong"}'))).toBe(true);
    expect(resumedFrames).toEqual([
      { type: 'peer-left', peer: cy.self.id, reason: 'disconnected' },
      { type: 'signal', from: bo.self.id, data: { kind: 'pong' } },
    ]);
    expect((await onB.store.members('r')).map((p) => p.id)).toEqual([ana.self.id, bo.self.id]);
    expect(b.localPeers).toBe(2);
    expect(a.localPeers).toBe(0);
  });
});
