import { randomBytes } from 'node:crypto';
import { RoomRegistry, type EncodedFrame, type PeerSink } from '@ponte/server';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '../../server/test/redis/providedContext.js';
import { startRedis, type RedisServer } from '../../server/test/redis/redisServer.js';
import { connectRedisRooms, type RedisRoomAdapter } from '../src/RedisRoomAdapter.js';

// Registries of several "processes" in this test process, each on its own connections to a
// real Redis: the cases of scale-out that do not need sockets (they are in scaleOut.test.ts).
const state = { audio: true, video: true, screen: false };
const GRACE_MS = 400;
const LEASE_MS = 300;

interface Process {
  registry: RoomRegistry;
  adapter: RedisRoomAdapter;
}

/** Frames a peer's sink received, parsed, with a way to wait for one. */
class Inbox {
  readonly frames: Array<Record<string, unknown>> = [];
  #waiters: Array<() => void> = [];
  readonly sink: PeerSink = ({ bytes }: EncodedFrame) => {
    this.frames.push(JSON.parse(bytes.toString()) as Record<string, unknown>);
    for (const wake of this.#waiters.splice(0)) wake();
  };
  async waitFor(predicate: (frame: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such frame; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

describe('RoomRegistry over Redis, several processes', () => {
  let prefix: string;
  let url: string;
  const running: Process[] = [];

  async function start(name: string, redisUrl = url, maxPeersPerRoom = 8): Promise<Process> {
    const adapter = await connectRedisRooms({ url: redisUrl, keyPrefix: prefix, nodeId: name, reconnectGraceMs: GRACE_MS, leaseMs: LEASE_MS });
    const registry = new RoomRegistry({ adapter, maxPeersPerRoom, reconnectGraceMs: GRACE_MS, sweepIntervalMs: 100 });
    const process = { registry, adapter };
    running.push(process);
    return process;
  }

  beforeAll(() => {
    url = inject('redisUrl');
  });
  afterEach(async () => {
    for (const { registry } of running.splice(0)) await registry.close();
  });

  it('gives exactly one of two joins racing on two processes the last seat of a room', async () => {
    prefix = `test:${randomBytes(6).toString('hex')}:`;
    const [a, b] = [await start('a', url, 2), await start('b', url, 2)];
    await a.registry.join({ room: 'r', name: 'Ana', state, sink: new Inbox().sink });
    for (let round = 0; round < 20; round += 1) {
      const room = `race-${round}`;
      await a.registry.join({ room, name: 'Ana', state, sink: new Inbox().sink });
      const results = await Promise.all([
        a.registry.join({ room, name: 'Bo', state, sink: new Inbox().sink }),
        b.registry.join({ room, name: 'Cy', state, sink: new Inbox().sink }),
      ]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, reason: 'full' }]);
      expect(await b.adapter.store.members(room)).toHaveLength(2);
    }
    expect(await b.registry.stats()).toEqual({ rooms: 21, peers: 41 });
  });

  it('tells the room a peer left when its process dies without a word and the peer does not come back', async () => {
    prefix = `test:${randomBytes(6).toString('hex')}:`;
    const [a, b] = [await start('a'), await start('b')];
    const bo = new Inbox();
    const ana = await a.registry.join({ room: 'r', name: 'Ana', state, sink: new Inbox().sink });
    await b.registry.join({ room: 'r', name: 'Bo', state, sink: bo.sink });
    if (!ana.ok) throw new Error('Ana did not get in');
    // A dies: its lease is no longer renewed, its keys stay as they were.
    running.splice(running.indexOf(a), 1);
    await a.registry.close();
    const left = await bo.waitFor((frame) => frame.type === 'peer-left');
    expect(left).toEqual({ type: 'peer-left', peer: ana.self.id, reason: 'disconnected' });
    expect(await b.registry.stats()).toEqual({ rooms: 1, peers: 1 });
  });

  it('resumes a peer of a dead process on another, with the frames sent to it meanwhile, and nobody sees it leave', async () => {
    prefix = `test:${randomBytes(6).toString('hex')}:`;
    const [a, b] = [await start('a'), await start('b')];
    const bo = new Inbox();
    const anaFrames = new Inbox();
    const ana = await a.registry.join({ room: 'r', name: 'Ana', state, sink: anaFrames.sink });
    const boJoined = await b.registry.join({ room: 'r', name: 'Bo', state, sink: bo.sink });
    if (!ana.ok || !boJoined.ok) throw new Error('not in');
    await anaFrames.waitFor((frame) => frame.type === 'peer-joined');
    running.splice(running.indexOf(a), 1);
    await a.registry.close();
    // Bo signals Ana while her process is gone: nobody hears it, so Redis logs it for her.
    expect(await b.registry.signal('r', boJoined.self.id, ana.self.id, Buffer.from('{"kind":"ping"}'))).toBe(true);
    const c = await start('c');
    const anaAgain = new Inbox();
    // She had received `peer-joined` Bo before A died.
    const received = anaFrames.frames.length;
    expect(received).toBe(1);
    const resumed = await c.registry.resume({ room: 'r', peer: ana.self, received, sink: anaAgain.sink, onSuperseded: () => {} });
    if (!resumed.ok) throw new Error('resume refused');
    expect(resumed.lapsed).toBe(false);
    expect(resumed.replay.map((frame) => JSON.parse(frame.bytes.toString()) as unknown)).toEqual([
      { type: 'signal', from: boJoined.self.id, data: { kind: 'ping' } },
    ]);
    // Once the others have taken A for dead (its lease lapsed, a sweep adopted what it held),
    // Ana is not held: she is C's now, Bo has not been told she left, and she is still there.
    const probe = new Redis(url);
    await expect.poll(() => probe.smembers(`${prefix}nodes`), { timeout: 5000 }).not.toContain('a');
    probe.disconnect();
    expect(await c.adapter.sessions.held(ana.self.id)).toBeUndefined();
    expect(bo.frames.filter((frame) => frame.type === 'peer-left')).toEqual([]);
    expect((await b.adapter.store.members('r')).map((peer) => peer.id).sort()).toEqual([ana.self.id, boJoined.self.id].sort());
    expect(await b.registry.signal('r', boJoined.self.id, ana.self.id, Buffer.from('{"kind":"again"}'))).toBe(true);
    expect(await anaAgain.waitFor((frame) => frame.type === 'signal')).toMatchObject({ data: { kind: 'again' } });
  });
});

describe('RoomRegistry over Redis, a resume while the old connection is still open elsewhere', () => {
  const running: RoomRegistry[] = [];
  afterEach(async () => {
    for (const registry of running.splice(0)) await registry.close();
  });

  it('tells the older connection, on the other process, that it is superseded', async () => {
    const url = inject('redisUrl');
    const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
    const [a, b] = await Promise.all(
      ['a', 'b'].map(async (nodeId) => {
        const adapter = await connectRedisRooms({ url, keyPrefix, nodeId, reconnectGraceMs: GRACE_MS, leaseMs: LEASE_MS });
        const registry = new RoomRegistry({ adapter, maxPeersPerRoom: 8, reconnectGraceMs: GRACE_MS });
        running.push(registry);
        return registry;
      }),
    );
    let superseded!: () => void;
    const supersededOnA = new Promise<void>((resolve) => (superseded = resolve));
    const ana = await a!.join({ room: 'r', name: 'Ana', state, sink: new Inbox().sink, onSuperseded: () => superseded() });
    if (!ana.ok) throw new Error('not in');
    // Ana's socket to A is half-open; she resumes on B.
    const resumed = await b!.resume({ room: 'r', peer: ana.self, received: 0, sink: new Inbox().sink, onSuperseded: () => {} });
    expect(resumed).toMatchObject({ ok: true, lapsed: false });
    await supersededOnA;
    expect(a!.localPeers).toBe(0);
    expect(b!.localPeers).toBe(1);
  });
});

describe('RoomRegistry over a Redis that restarts', () => {
  let redis: RedisServer;
  const prefix = 'restart:';
  const running: RoomRegistry[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const registry of running) await registry.close();
    await redis.stop();
  });

  it('puts every process’s peers, rooms and passwords back, and lets go of a peer that left during the outage', async () => {
    const processes = [];
    for (const name of ['a', 'b']) {
      const adapter = await connectRedisRooms({ url: redis.url, keyPrefix: prefix, nodeId: name, reconnectGraceMs: GRACE_MS, leaseMs: LEASE_MS });
      const registry = new RoomRegistry({ adapter, maxPeersPerRoom: 8, reconnectGraceMs: GRACE_MS, sweepIntervalMs: 100 });
      running.push(registry);
      processes.push({ adapter, registry });
    }
    const [a, b] = processes as [(typeof processes)[0], (typeof processes)[0]];
    const bo = new Inbox();
    const ana = await a.registry.join({ room: 'r', name: 'Ana', state, sink: new Inbox().sink, admission: { create: { passwordHash: 'h' } } });
    const boJoined = await b.registry.join({ room: 'r', name: 'Bo', state, sink: bo.sink, admission: { expectPasswordHash: 'h' } });
    const cy = await a.registry.join({ room: 'r', name: 'Cy', state, sink: new Inbox().sink, admission: { expectPasswordHash: 'h' } });
    if (!ana.ok || !boJoined.ok || !cy.ok) throw new Error('not in');

    await redis.stop();
    await expect.poll(() => a.adapter.status().connected).toBe(false);
    // Cy leaves while Redis is down: the registry keeps the leave for later.
    await expect(a.registry.leave('r', cy.self.id, 'left')).rejects.toThrow();
    await redis.restart();
    await expect.poll(async () => (await b.adapter.store.members('r')).map((peer) => peer.name).sort(), { timeout: 5000 }).toEqual(['Ana', 'Bo']);
    expect(await b.adapter.store.room('r')).toEqual({ passwordHash: 'h' });
    expect(await b.registry.stats()).toEqual({ rooms: 1, peers: 2 });
    // Bo is told Cy left, even though the restarted Redis never heard of Cy.
    expect(await bo.waitFor((frame) => frame.type === 'peer-left' && frame.peer === cy.self.id)).toMatchObject({ reason: 'left' });
    // Signaling across processes works again.
    expect(await b.registry.signal('r', boJoined.self.id, ana.self.id, Buffer.from('{"kind":"back"}'))).toBe(true);
  });
});
