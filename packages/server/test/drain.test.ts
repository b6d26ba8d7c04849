import { PROTOCOL_MINOR, PROTOCOL_VERSION, type JoinedFrame } from '@ponte/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthStatus } from '../src/http/httpRoutes.js';
import { MemoryRoomAdapter } from '../src/index.js';
import { startHarness, type Harness } from './harness.js';
import { RawClient } from './RawClient.js';
import type { TestClient } from './TestClient.js';

const SECRET = 'a-secret-both-processes-share';
const STATE = { audio: false, video: false, screen: false };
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } as const;
let harnesses: Harness[] = [];

async function harness(options: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const h = await startHarness({ secret: SECRET, ...options });
  harnesses.push(h);
  return h;
}

function resume(client: TestClient, joined: JoinedFrame, name: string, received: number): void {
  client.send({ type: 'resume', version: PROTOCOL_VERSION, minor: PROTOCOL_MINOR, token: joined.resumeToken, name, state: STATE, received });
}

afterEach(async () => {
  // Closed in reverse: the first process's close also closes the memory seams both share.
  for (const h of harnesses.reverse()) await h.stop();
  harnesses = [];
});

describe('drain', () => {
  it('closes every socket with 1012 and holds their peers, who resume on another process unseen by the room', async () => {
    const shared = new MemoryRoomAdapter();
    const first = await harness({ adapter: shared });
    const second = await harness({ adapter: shared.anotherProcess() });
    const ana = await first.joined('room1', 'Ana');
    const bo = await first.joined('room1', 'Bo');
    expect(await ana.client.next('peer-joined')).toMatchObject({ peer: { id: bo.joined.self } });

    await first.server.drain();
    expect(await ana.client.closed).toMatchObject({ code: 1012 });
    expect(await bo.client.closed).toMatchObject({ code: 1012 });
    expect(first.server.app.server.listening).toBe(true);
    // Both are still members, held for a resume.
    expect(await shared.store.stats()).toEqual({ rooms: 1, peers: 2 });

    const anaBack = await second.connect();
    resume(anaBack, ana.joined, 'Ana', 1);
    expect(await anaBack.next('resumed')).toMatchObject({ self: ana.joined.self, lapsed: false, peers: [{ id: bo.joined.self }] });
    const boBack = await second.connect();
    resume(boBack, bo.joined, 'Bo', 0);
    expect(await boBack.next('resumed')).toMatchObject({ self: bo.joined.self, lapsed: false, peers: [{ id: ana.joined.self }] });

    // Nobody was told anyone left, and the two signal each other through the second process.
    boBack.send({ type: 'signal', to: ana.joined.self, data: offer });
    expect(await anaBack.waitFor((frame) => frame.type === 'signal')).toEqual({ type: 'signal', from: bo.joined.self, data: offer });
    await boBack.barrier();
    for (const client of [anaBack, boBack]) {
      expect(client.frames.filter((frame) => frame.type === 'peer-left' || frame.type === 'error')).toEqual([]);
    }
    expect(await shared.store.stats()).toEqual({ rooms: 1, peers: 2 });
  });

  it('refuses new WebSocket upgrades with 503 and answers /healthz 503 "draining"', async () => {
    const h = await harness({ adapter: new MemoryRoomAdapter({ nodeId: 'web-1' }) });
    await h.server.drain();
    const response = await h.server.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(503);
    expect(response.json<HealthStatus>()).toEqual({
      status: 'draining',
      node: 'web-1',
      store: { kind: 'memory', connected: true },
      rooms: 0,
      peers: 0,
    });
    await expect(RawClient.connect(h.url)).rejects.toThrow(/^HTTP\/1\.1 503 Service Unavailable$/);
  });

  it('resolves after drainTimeoutMs when a client does not finish its close handshake, and still holds its peer', async () => {
    const shared = new MemoryRoomAdapter();
    const h = await harness({ adapter: shared, drainTimeoutMs: 300 });
    const ana = await h.joined('room1', 'Ana');
    const raw = await RawClient.connect(h.url);
    raw.sendFrame(0x1, JSON.stringify({ type: 'join', version: PROTOCOL_VERSION, room: 'room1', name: 'Mute' }));
    expect(await ana.client.next('peer-joined')).toMatchObject({ peer: { name: 'Mute' } });
    // The raw client reads the close frame but never answers it.
    const started = performance.now();
    await h.server.drain();
    const tookMs = performance.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(290);
    expect(tookMs).toBeLessThan(2_000);
    expect(await ana.client.closed).toMatchObject({ code: 1012 });
    expect((await raw.closed).code).toBe(1012);
    expect(await shared.store.stats()).toEqual({ rooms: 1, peers: 2 });
  });
});
