import type { PeerInfo } from '@ponte/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomStore } from '../RoomStore.js';

const state = { audio: true, video: false, screen: false };
const peer = (id: string): PeerInfo => ({ id, name: `n-${id}`, state });
const ids = (peers: PeerInfo[]): string[] => peers.map((p) => p.id);

/**
 * The contract every {@link RoomStore} passes. `makeStores` returns handles on ONE fresh,
 * empty store as `processes` server processes would hold them (the same object for the
 * in-memory store; separate clients of one database for a networked one), so races are
 * run between processes. Every answer is awaited; no timers.
 */
export function describeRoomStoreContract(name: string, makeStores: (processes: number) => Promise<RoomStore[]> | RoomStore[]): void {
  describe(`RoomStore contract: ${name}`, () => {
    let stores: RoomStore[];
    let store: RoomStore;

    beforeEach(async () => {
      stores = await makeStores(2);
      store = stores[0]!;
    });
    afterEach(async () => {
      for (const handle of stores) await handle.close();
    });

    it('creates a room on first join and returns the members that were there before', async () => {
      expect(await store.join('r', peer('a'), 8)).toEqual({ ok: true, peers: [] });
      expect(await store.join('r', peer('b'), 8)).toEqual({ ok: true, peers: [peer('a')] });
      expect(await store.members('r')).toEqual([peer('a'), peer('b')]);
      expect(await store.stats()).toEqual({ rooms: 1, peers: 2 });
    });

    it('refuses a join beyond the room cap without changing the room', async () => {
      await store.join('r', peer('a'), 2);
      await store.join('r', peer('b'), 2);
      expect(await store.join('r', peer('c'), 2)).toEqual({ ok: false, reason: 'full' });
      expect(ids(await store.members('r'))).toEqual(['a', 'b']);
      expect(await store.join('other', peer('c'), 2)).toEqual({ ok: true, peers: [] });
    });

    it('admits exactly the room cap when joins race from several processes', async () => {
      const results = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((id, n) => stores[n % stores.length]!.join('r', peer(id), 3)));
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(results.filter((r) => !r.ok)).toEqual([
        { ok: false, reason: 'full' },
        { ok: false, reason: 'full' },
        { ok: false, reason: 'full' },
      ]);
      expect(await stores[1]!.stats()).toEqual({ rooms: 1, peers: 3 });
    });

    it('admits exactly the server caps when joins race from several processes', async () => {
      const peers = await Promise.all(
        ['a', 'b', 'c', 'd'].map((id, n) => stores[n % stores.length]!.join(`r${n}`, peer(id), 8, { maxPeersPerServer: 2 })),
      );
      expect(peers.filter((r) => r.ok)).toHaveLength(2);
      expect(peers.filter((r) => !r.ok)).toEqual([
        { ok: false, reason: 'peers' },
        { ok: false, reason: 'peers' },
      ]);
      await Promise.all(['r0', 'r1', 'r2', 'r3'].flatMap((room) => ['a', 'b', 'c', 'd'].map((id) => store.leave(room, id))));
      const rooms = await Promise.all(['a', 'b', 'c'].map((id, n) => stores[n % stores.length]!.join(`s${n}`, peer(id), 8, { maxRooms: 2 })));
      expect(rooms.filter((r) => r.ok)).toHaveLength(2);
      expect(rooms.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'rooms' }]);
    });

    it('counts the server cap over all rooms and lets a member rejoin without counting it twice', async () => {
      await store.join('r', peer('a'), 8, { maxPeersPerServer: 2 });
      await store.join('s', peer('b'), 8, { maxPeersPerServer: 2 });
      expect(await store.join('r', peer('c'), 8, { maxPeersPerServer: 2 })).toEqual({ ok: false, reason: 'peers' });
      expect(await store.join('r', { ...peer('a'), name: 'again' }, 8)).toMatchObject({ ok: true });
      expect(await store.members('r')).toEqual([{ ...peer('a'), name: 'again' }]);
      expect(await store.stats()).toEqual({ rooms: 2, peers: 2 });
    });

    it('keeps the record a room was created with, and admits only while its password hash is the expected one', async () => {
      expect(await store.room('r')).toBeUndefined();
      expect(await store.join('r', peer('a'), 8, { expectPasswordHash: null, create: { passwordHash: 'h1' } })).toEqual({
        ok: true,
        peers: [],
      });
      expect(await stores[1]!.room('r')).toEqual({ passwordHash: 'h1' });
      expect(await store.join('r', peer('b'), 8, { expectPasswordHash: null })).toEqual({ ok: false, reason: 'changed' });
      expect(await store.join('r', peer('b'), 8, { expectPasswordHash: 'h2' })).toEqual({ ok: false, reason: 'changed' });
      expect(await store.join('r', peer('b'), 8, { expectPasswordHash: 'h1', create: { passwordHash: 'x' } })).toMatchObject({
        ok: true,
      });
      expect(await store.room('r')).toEqual({ passwordHash: 'h1' });
      expect(await store.join('open', peer('c'), 8)).toMatchObject({ ok: true });
      expect(await store.room('open')).toEqual({});
    });

    it('removes a room, record and all, when its last member leaves', async () => {
      await store.join('r', peer('a'), 8, { create: { passwordHash: 'h' } });
      await store.join('r', peer('b'), 8);
      expect(await store.leave('r', 'a')).toBe(true);
      expect(await store.stats()).toEqual({ rooms: 1, peers: 1 });
      expect(await store.leave('r', 'a')).toBe(false);
      expect(await stores[1]!.leave('r', 'b')).toBe(true);
      expect(await store.stats()).toEqual({ rooms: 0, peers: 0 });
      expect(await store.members('r')).toEqual([]);
      expect(await store.room('r')).toBeUndefined();
    });

    it('updates only members', async () => {
      await store.join('r', peer('a'), 8);
      const renamed = { ...peer('a'), name: 'Zoe' };
      expect(await store.update('r', renamed)).toBe(true);
      expect(await stores[1]!.members('r')).toEqual([renamed]);
      expect(await store.update('r', peer('x'))).toBe(false);
      expect(await store.update('nope', renamed)).toBe(false);
      expect(await store.members('nope')).toEqual([]);
    });

    it('hands out copies of records', async () => {
      await store.join('r', peer('a'), 8, { create: { passwordHash: 'h' } });
      const record = (await store.room('r'))!;
      record.passwordHash = 'tampered';
      expect(await store.room('r')).toEqual({ passwordHash: 'h' });
    });
  });
}
