import type { PeerInfo } from '@ponte/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryRoomAdapter } from './MemoryRoomAdapter.js';
import { encodeFrame, type EncodedFrame } from '../RoomAdapter.js';

const state = { audio: true, video: false, screen: false };
const peer = (id: string): PeerInfo => ({ id, name: `n-${id}`, state });
const left = (id: string): EncodedFrame => encodeFrame({ type: 'peer-left', peer: id, reason: 'left' });

describe('MemoryRoomAdapter', () => {
  let adapter: MemoryRoomAdapter;
  let delivered: Array<{ to: string; frame: unknown; bytes: Buffer }>;

  beforeEach(() => {
    adapter = new MemoryRoomAdapter();
    delivered = [];
    adapter.setDeliveryHandler((to, { bytes }) => delivered.push({ to, frame: JSON.parse(bytes.toString()), bytes }));
  });

  it('creates a room on first join and returns the members that were there before', async () => {
    expect(await adapter.join('r', peer('a'), 8)).toEqual({ ok: true, peers: [] });
    expect(await adapter.join('r', peer('b'), 8)).toEqual({ ok: true, peers: [peer('a')] });
    expect(await adapter.members('r')).toEqual([peer('a'), peer('b')]);
    expect(await adapter.stats()).toEqual({ rooms: 1, peers: 2 });
  });

  it('refuses a join beyond the cap without changing the room', async () => {
    await adapter.join('r', peer('a'), 2);
    await adapter.join('r', peer('b'), 2);
    expect(await adapter.join('r', peer('c'), 2)).toEqual({ ok: false, reason: 'full' });
    expect((await adapter.members('r')).map((p) => p.id)).toEqual(['a', 'b']);
    expect(await adapter.join('other', peer('c'), 2)).toEqual({ ok: true, peers: [] });
  });

  it('admits exactly the cap when joins race', async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => adapter.join('r', peer(id), 3)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(await adapter.stats()).toEqual({ rooms: 1, peers: 3 });
  });

  it('removes a room when its last member leaves', async () => {
    await adapter.join('r', peer('a'), 8);
    await adapter.join('r', peer('b'), 8);
    expect(await adapter.leave('r', 'a')).toBe(true);
    expect(await adapter.stats()).toEqual({ rooms: 1, peers: 1 });
    expect(await adapter.leave('r', 'a')).toBe(false);
    expect(await adapter.leave('r', 'b')).toBe(true);
    expect(await adapter.stats()).toEqual({ rooms: 0, peers: 0 });
    expect(await adapter.members('r')).toEqual([]);
  });

  it('updates only members', async () => {
    await adapter.join('r', peer('a'), 8);
    const renamed = { ...peer('a'), name: 'Zoe' };
    expect(await adapter.update('r', renamed)).toBe(true);
    expect(await adapter.members('r')).toEqual([renamed]);
    expect(await adapter.update('r', peer('x'))).toBe(false);
    expect(await adapter.update('nope', renamed)).toBe(false);
  });

  it('broadcasts the same bytes to every member but the excepted one', async () => {
    for (const id of ['a', 'b', 'c']) await adapter.join('r', peer(id), 8);
    await adapter.join('elsewhere', peer('z'), 8);
    await adapter.broadcast('r', left('q'), 'b');
    expect(delivered.map((d) => d.to)).toEqual(['a', 'c']);
    expect(delivered[0]!.frame).toEqual({ type: 'peer-left', peer: 'q', reason: 'left' });
    expect(delivered[0]!.bytes).toBe(delivered[1]!.bytes);
  });

  it('delivers to one member of the named room only', async () => {
    await adapter.join('r', peer('a'), 8);
    await adapter.join('s', peer('b'), 8);
    expect(await adapter.deliver('r', 'a', left('x'))).toBe(true);
    expect(await adapter.deliver('r', 'b', left('x'))).toBe(false);
    expect(await adapter.deliver('r', 'ghost', left('x'))).toBe(false);
    expect(delivered.map((d) => d.to)).toEqual(['a']);
  });

  it('forgets everything on close', async () => {
    await adapter.join('r', peer('a'), 8);
    await adapter.close();
    expect(await adapter.stats()).toEqual({ rooms: 0, peers: 0 });
  });
});
