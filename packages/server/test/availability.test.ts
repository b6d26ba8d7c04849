import { PROTOCOL_MINOR, PROTOCOL_VERSION, type PeerInfo, type RoomId } from '@ponte/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOMS_UNREACHABLE_MESSAGE } from '../src/admission/Availability.js';
import type { HealthStatus } from '../src/http/httpRoutes.js';
import {
  MemoryRoomAdapter,
  MemoryRoomStore,
  MemorySessionStore,
  type RoomBackendStatus,
  type RoomJoinConditions,
  type RoomStats,
} from '../src/index.js';
import { startHarness, type Harness } from './harness.js';
import type { TestClient } from './TestClient.js';

const STATE = { audio: false, video: false, screen: false };

/** Memory rooms that say, as a shared store would, whether they can be reached. */
class SwitchableAdapter extends MemoryRoomAdapter {
  connected = true;

  override status(): RoomBackendStatus {
    return { kind: 'shared', node: 'node-7', connected: this.connected };
  }
}

/** A room store whose next calls fail, as one whose connection dropped in the middle of a call. */
class FailingRoomStore extends MemoryRoomStore {
  failJoins = false;
  failStats = false;

  override async join(room: RoomId, peer: PeerInfo, maxPeersPerRoom: number, conditions?: RoomJoinConditions) {
    if (this.failJoins) throw new Error('connection to the store lost');
    return super.join(room, peer, maxPeersPerRoom, conditions);
  }

  override async stats(): Promise<RoomStats> {
    if (this.failStats) throw new Error('connection to the store lost');
    return super.stats();
  }
}

/** A session store whose attach fails, as one whose connection dropped during a resume. */
class FailingSessionStore extends MemorySessionStore {
  failAttach = false;

  override async attach(peerId: string, room: string) {
    if (this.failAttach) throw new Error('connection to the store lost');
    return super.attach(peerId, room);
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function join(client: TestClient, room: string, minor?: number): void {
  client.send({ type: 'join', version: PROTOCOL_VERSION, ...(minor === undefined ? {} : { minor }), room, name: 'Ana' });
}

function resume(client: TestClient, token: string, minor?: number): void {
  client.send({
    type: 'resume',
    version: PROTOCOL_VERSION,
    ...(minor === undefined ? {} : { minor }),
    token,
    name: 'Ana',
    state: STATE,
    received: 0,
  });
}

async function health(harness: Harness): Promise<{ code: number; body: HealthStatus }> {
  const response = await harness.server.app.inject({ method: 'GET', url: '/healthz' });
  return { code: response.statusCode, body: response.json<HealthStatus>() };
}

describe('a server whose rooms cannot be reached', () => {
  it('answers /healthz 503 "unavailable" with its node and store, and 200 "ok" once the store is back', async () => {
    const adapter = new SwitchableAdapter();
    h = await startHarness({ adapter });
    expect(await health(h)).toEqual({
      code: 200,
      body: { status: 'ok', node: 'node-7', store: { kind: 'shared', connected: true }, rooms: 0, peers: 0 },
    });
    adapter.connected = false;
    expect(await health(h)).toEqual({
      code: 503,
      body: { status: 'unavailable', node: 'node-7', store: { kind: 'shared', connected: false }, rooms: null, peers: null },
    });
    adapter.connected = true;
    expect((await health(h)).code).toBe(200);
  });

  it('answers /healthz 503 "unavailable", without failing, when the store cannot give its counts', async () => {
    const store = new FailingRoomStore();
    h = await startHarness({ adapter: new MemoryRoomAdapter({ store }) });
    store.failStats = true;
    expect(await health(h)).toEqual({
      code: 503,
      body: { status: 'unavailable', node: 'local', store: { kind: 'memory', connected: true }, rooms: null, peers: null },
    });
  });

  it('refuses a join at once: UNAVAILABLE to a client of minor 2, INTERNAL with the same message to older ones; the connection stays usable', async () => {
    const adapter = new SwitchableAdapter();
    h = await startHarness({ adapter });
    const current = await h.connect();
    const older = await h.connect();
    const oldest = await h.connect();
    adapter.connected = false;
    join(current, 'room1', PROTOCOL_MINOR);
    join(older, 'room1', 1);
    join(oldest, 'room1');
    expect(await current.nextError()).toEqual({ type: 'error', code: 'UNAVAILABLE', message: ROOMS_UNREACHABLE_MESSAGE, ref: 'join' });
    expect(await older.nextError()).toEqual({ type: 'error', code: 'INTERNAL', message: ROOMS_UNREACHABLE_MESSAGE, ref: 'join' });
    expect(await oldest.nextError()).toEqual({ type: 'error', code: 'INTERNAL', message: ROOMS_UNREACHABLE_MESSAGE, ref: 'join' });
    expect(await adapter.store.stats()).toEqual({ rooms: 0, peers: 0 });
    adapter.connected = true;
    join(current, 'room1', PROTOCOL_MINOR);
    expect(await current.next('joined')).toMatchObject({ room: 'room1' });
  });

  it('refuses a resume at once, and takes it once the store is back', async () => {
    const adapter = new SwitchableAdapter();
    h = await startHarness({ adapter, secret: 'test-secret-of-16+' });
    const first = await h.connect();
    const { resumeToken, self } = await first.join('room1');
    first.ws.terminate();
    await first.closed;
    adapter.connected = false;
    const back = await h.connect();
    resume(back, resumeToken, PROTOCOL_MINOR);
    expect(await back.nextError()).toEqual({ type: 'error', code: 'UNAVAILABLE', message: ROOMS_UNREACHABLE_MESSAGE, ref: 'resume' });
    resume(back, resumeToken);
    expect(await back.nextError()).toEqual({ type: 'error', code: 'INTERNAL', message: ROOMS_UNREACHABLE_MESSAGE, ref: 'resume' });
    adapter.connected = true;
    resume(back, resumeToken, PROTOCOL_MINOR);
    expect(await back.next('resumed')).toMatchObject({ self, lapsed: false });
  });

  it('answers UNAVAILABLE, not a hang or a crash, when the store fails during a join, and undoes the join', async () => {
    const store = new FailingRoomStore();
    h = await startHarness({ adapter: new MemoryRoomAdapter({ store }) });
    const client = await h.connect();
    store.failJoins = true;
    join(client, 'room1', PROTOCOL_MINOR);
    expect(await client.nextError()).toEqual({ type: 'error', code: 'UNAVAILABLE', message: ROOMS_UNREACHABLE_MESSAGE, ref: 'join' });
    join(client, 'room1');
    expect(await client.nextError()).toEqual({ type: 'error', code: 'INTERNAL', message: ROOMS_UNREACHABLE_MESSAGE, ref: 'join' });
    store.failJoins = false;
    join(client, 'room1', PROTOCOL_MINOR);
    expect(await client.next('joined')).toMatchObject({ room: 'room1', peers: [] });
    expect(await store.stats()).toEqual({ rooms: 1, peers: 1 });
  });

  it('answers UNAVAILABLE when the store fails during a resume, and takes the resume once it works', async () => {
    const sessions = new FailingSessionStore();
    h = await startHarness({ adapter: new MemoryRoomAdapter({ sessions }), secret: 'test-secret-of-16+' });
    const first = await h.connect();
    const { resumeToken, self } = await first.join('room1');
    first.ws.terminate();
    await first.closed;
    const back = await h.connect();
    sessions.failAttach = true;
    resume(back, resumeToken, PROTOCOL_MINOR);
    expect(await back.nextError()).toEqual({ type: 'error', code: 'UNAVAILABLE', message: ROOMS_UNREACHABLE_MESSAGE, ref: 'resume' });
    sessions.failAttach = false;
    resume(back, resumeToken, PROTOCOL_MINOR);
    expect(await back.next('resumed')).toMatchObject({ self });
  });
});
