import { PROTOCOL_MINOR, PROTOCOL_VERSION, type JoinedFrame, type ResumedFrame } from '@ponte/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { messageText } from './messageText.js';
import type { TestClient } from './TestClient.js';

// Minor versions and features against the real server: a client of a newer minor (unknown
// fields, unknown features) gets in, and a client of minor 0 sees exactly what it always saw.

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ secret: 'test-secret' });
});
afterEach(async () => {
  await h.stop();
});

const STATE = { audio: true, video: false, screen: false };
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } };

/** The keys of a `joined` as every server of minor 0 sent it: all an old, strict client accepts. */
const MINOR_0_JOINED_KEYS = ['iceServers', 'iceTransportPolicy', 'maxPeers', 'peers', 'resumeToken', 'room', 'self', 'type', 'version'];

/** The raw JSON of the next text message `client` receives (before TestClient's parser drops anything). */
function nextRaw(client: TestClient): Promise<Record<string, unknown>> {
  return new Promise((resolve) => client.ws.once('message', (data) => resolve(JSON.parse(messageText(data)) as Record<string, unknown>)));
}

/** A `join` as a client of a later minor might send it: a feature and a field this server has never heard of. */
const futureJoin = (room: string, name: string) => ({
  type: 'join',
  version: PROTOCOL_VERSION,
  minor: PROTOCOL_MINOR + 5,
  features: ['resume', 'holo-v2'],
  room,
  name,
  state: STATE,
  hologram: { fps: 90, layers: ['a', 'b'] },
});

describe('a client of a newer minor', () => {
  it("is admitted; the joined lists only the server's features, with its minor", async () => {
    const future = await h.connect();
    const raw = nextRaw(future);
    future.send(futureJoin('room1', 'Zed'));
    const joined = await future.next('joined');
    expect(joined.features).toEqual(['resume']);
    expect(joined.features).not.toContain('holo-v2');
    expect(joined.minor).toBe(PROTOCOL_MINOR);
    expect(joined.version).toBe(PROTOCOL_VERSION);
    expect(await raw).toMatchObject({ type: 'joined', minor: PROTOCOL_MINOR, features: ['resume'] });
  });

  it('shares a room with a client of minor 0, which sees nothing new, and its extra fields are never relayed', async () => {
    const old = await h.connect();
    const oldRaw = nextRaw(old);
    const oldJoined = await old.join('room1', 'Ana');
    expect(Object.keys(await oldRaw).sort()).toEqual(MINOR_0_JOINED_KEYS);
    expect(oldJoined).not.toHaveProperty('features');

    const future = await h.connect();
    future.send(futureJoin('room1', 'Zed'));
    const joined = await future.next('joined');
    expect(joined.peers.map((peer) => peer.id)).toEqual([oldJoined.self]);
    const seen = await old.next('peer-joined');
    expect(seen.peer).toEqual({ id: joined.self, name: 'Zed', state: STATE });

    // A signal with a field from the future: the old peer gets the plain relayed frame.
    const relayed = nextRaw(old);
    future.send({ type: 'signal', to: oldJoined.self, data: offer, priority: 'high' });
    expect(await relayed).toEqual({ type: 'signal', from: joined.self, data: offer });
    await old.next('signal');

    // An update and a leave with fields from the future work as always.
    future.send({ type: 'update', state: { video: true }, reason: 'camera' });
    expect((await old.next('peer-updated')).peer.state).toEqual({ ...STATE, video: true });
    future.send({ type: 'leave', farewell: 'bye' });
    expect(await old.next('peer-left')).toEqual({ type: 'peer-left', peer: joined.self, reason: 'left' });
  });

  it("resumes, and the resumed lists the server's features; a resume of minor 0 gets none", async () => {
    const future = await h.connect();
    future.send(futureJoin('room1', 'Zed'));
    const joined = await future.next('joined');
    const resume = (client: TestClient, token: string, extra: object) =>
      client.send({ type: 'resume', version: PROTOCOL_VERSION, token, name: 'Zed', state: STATE, received: 0, ...extra });

    const again = await h.connect();
    resume(again, joined.resumeToken, { minor: PROTOCOL_MINOR + 1, features: ['holo-v2'], soon: true });
    const resumed: ResumedFrame = await again.next('resumed');
    expect(resumed.self).toBe(joined.self);
    expect(resumed.features).toEqual(['resume']);
    expect(resumed.minor).toBe(PROTOCOL_MINOR);

    const old = await h.connect();
    const raw = nextRaw(old);
    resume(old, resumed.resumeToken, {});
    const oldResumed = await old.next('resumed');
    expect(oldResumed.self).toBe(joined.self);
    expect(await raw).not.toHaveProperty('features');
    expect(await raw).not.toHaveProperty('minor');
  });

  it('is refused when its major differs, as before', async () => {
    const client = await h.connect();
    client.send({ ...futureJoin('room1', 'Zed'), version: PROTOCOL_VERSION + 1, minor: 0 });
    expect(await client.nextError()).toMatchObject({ code: 'UNSUPPORTED_VERSION', ref: 'join' });
    const joined: JoinedFrame = await client.join('room1');
    expect(joined.room).toBe('room1');
  });
});
