import { describe, expect, it } from 'vitest';
import { MemoryRoomAdapter } from './memory/MemoryRoomAdapter.js';
import type { EncodedFrame } from './EncodedFrame.js';
import { mintPeerId, RoomRegistry } from './RoomRegistry.js';

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
