import type { PeerInfo } from '@ponte/protocol';
import { describe, expect, it } from 'vitest';
import { encodeServerFrame, type EncodedFrame } from '../EncodedFrame.js';
import { describePeerBusContract } from '../contract/peerBus.contract.js';
import { describeRoomStoreContract } from '../contract/roomStore.contract.js';
import { describeSessionStoreContract } from '../contract/sessionStore.contract.js';
import { MemoryPeerBus } from './MemoryPeerBus.js';
import { MemoryRoomAdapter } from './MemoryRoomAdapter.js';
import { MemoryRoomStore } from './MemoryRoomStore.js';
import { MemorySessionStore } from './MemorySessionStore.js';

// In one process every "process" shares the same objects; buses join one network.
describeRoomStoreContract('memory', (processes) => {
  const store = new MemoryRoomStore();
  return Array.from({ length: processes }, () => store);
});
describePeerBusContract('memory', (processes) => {
  const store = new MemoryRoomStore();
  const first = new MemoryPeerBus(store);
  return { store, buses: [first, ...Array.from({ length: processes - 1 }, () => new MemoryPeerBus(store, first))] };
});
describeSessionStoreContract('memory', (processes, setup) => {
  const sessions = new MemorySessionStore(setup);
  return Array.from({ length: processes }, () => sessions);
});

const state = { audio: true, video: false, screen: false };
const peer = (id: string): PeerInfo => ({ id, name: `n-${id}`, state });
const left = (id: string): EncodedFrame => encodeServerFrame({ type: 'peer-left', peer: id, reason: 'left' });

describe('MemoryRoomAdapter', () => {
  it('broadcasts the very same bytes to every recipient, and answers deliver at once', async () => {
    const rooms = new MemoryRoomAdapter();
    const delivered: Array<{ to: string; bytes: Buffer }> = [];
    rooms.bus.setDeliveryHandler((to, { bytes }) => delivered.push({ to, bytes }));
    for (const id of ['a', 'b', 'c']) {
      await rooms.store.join('r', peer(id), 8);
      await rooms.bus.register(id);
    }
    await rooms.bus.broadcast('r', left('q'), 'b');
    expect(delivered.map((d) => d.to)).toEqual(['a', 'c']);
    expect(delivered[0]!.bytes).toBe(delivered[1]!.bytes);
    expect(rooms.bus.deliver('r', 'a', left('x'))).toBe(true);
    expect(delivered).toHaveLength(3);
  });

  it('gives another process the same rooms and sessions over one bus network', async () => {
    const a = new MemoryRoomAdapter();
    const b = a.anotherProcess();
    const got: string[] = [];
    b.bus.setDeliveryHandler((to) => got.push(to));
    await b.store.join('r', peer('x'), 8);
    await b.bus.register('x');
    expect(await a.store.members('r')).toEqual([peer('x')]);
    expect(await a.bus.deliver('r', 'x', left('y'))).toBe(true);
    expect(got).toEqual(['x']);
    expect(b.sessions).toBe(a.sessions);
  });

  it('forgets everything on close', async () => {
    const rooms = new MemoryRoomAdapter();
    await rooms.store.join('r', peer('a'), 8);
    await rooms.sessions.attach('a', 'r');
    await rooms.close();
    expect(await rooms.store.stats()).toEqual({ rooms: 0, peers: 0 });
    expect(await rooms.sessions.attach('a', 'r')).toMatchObject({ resumes: 'none' });
  });
});
