import { PROTOCOL_MINOR, PROTOCOL_VERSION, type SessionDescription } from '@ponte/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { mintJoinToken, SfuError, type SfuBridge, type SfuEventHandler, type SfuStreamRequest } from '../src/index.js';
import { startHarness, type Harness } from './harness.js';
import type { TestClient } from './TestClient.js';

// The server's SFU broker against the real server and real sockets, with a bridge that records
// what the server asked of it (the bridge over a real Janus is tested in packages/janus): the
// topology switch, the `sfu-*` requests and answers, and their refusals.

const SECRET = 'sfu-token-secret-0123456789abcdef';
const OFFER = { type: 'offer', sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=sendonly\r\n' };

/** A bridge that answers every request and remembers it; `fail` makes the next request reject. */
class RecordingBridge implements SfuBridge {
  readonly calls: string[] = [];
  emit: SfuEventHandler = () => {};
  fail: SfuError | undefined;
  closed = false;
  available = true;
  setEventHandler(handler: SfuEventHandler): void {
    this.emit = handler;
  }
  #call(what: string): void {
    this.calls.push(what);
    const failure = this.fail;
    this.fail = undefined;
    if (failure !== undefined) throw failure;
  }
  async publish(room: string, peerId: string, offer: SessionDescription): Promise<SessionDescription> {
    this.#call(`publish ${room} ${peerId} ${offer.type}`);
    return { type: 'answer', sdp: 'v=0\r\n' };
  }
  async subscribe(room: string, peerId: string): Promise<void> {
    this.#call(`subscribe ${room} ${peerId}`);
  }
  async answerSubscriber(room: string, peerId: string): Promise<void> {
    this.#call(`answer ${room} ${peerId}`);
  }
  async configure(room: string, peerId: string, streams: SfuStreamRequest[]): Promise<void> {
    this.#call(`configure ${room} ${peerId} ${JSON.stringify(streams)}`);
  }
  async trickle(room: string, peerId: string, leg: string, candidates: unknown[]): Promise<void> {
    this.#call(`trickle ${room} ${peerId} ${leg} ${candidates.length}`);
  }
  async leave(room: string, peerId: string): Promise<void> {
    this.calls.push(`leave ${room} ${peerId}`);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Joins `room` as a client that can use an SFU (`features: ['resume', 'sfu']`). */
async function joinWithSfu(room: string, name: string, extra: Record<string, unknown> = {}) {
  const client = await h!.connect();
  client.send({ type: 'join', version: PROTOCOL_VERSION, minor: PROTOCOL_MINOR, features: ['resume', 'sfu'], room, name, ...extra });
  const joined = await client.next('joined');
  return { client, id: joined.self, joined };
}

async function start(bridge: SfuBridge = new RecordingBridge(), options = {}) {
  h = await startHarness({ sfu: bridge, tokenSecret: SECRET, ...options });
  return bridge;
}

describe('the SFU broker', () => {
  it('switches a room to the SFU when the 5th person joins, and back to a mesh at 3, telling everyone', async () => {
    await start();
    const people: Array<{ client: TestClient; id: string }> = [];
    for (const name of ['Ana', 'Bo', 'Cy', 'Di']) {
      const joined = await joinWithSfu('big', name);
      expect(joined.joined).toMatchObject({ features: ['resume', 'sfu'], topology: 'mesh', maxPeers: 50 });
      people.push(joined);
    }
    const fifth = await joinWithSfu('big', 'Ed');
    // The 5th's own joined already says SFU: it sets up no mesh only to leave it.
    expect(fifth.joined.topology).toBe('sfu');
    people.push(fifth);
    for (const { client } of people) expect(await client.waitFor((f) => f.type === 'topology')).toEqual({ type: 'topology', mode: 'sfu' });
    // A sixth joins an SFU room: its joined says so.
    const sixth = await joinWithSfu('big', 'Fa');
    expect(sixth.joined.topology).toBe('sfu');

    await people[0]!.client.close();
    await people[1]!.client.close();
    // Four left: still the SFU (between the thresholds).
    await sixth.client.waitFor((f) => f.type === 'peer-left');
    await sixth.client.waitFor((f) => f.type === 'peer-left');
    await sixth.client.barrier();
    expect(sixth.client.unread.some((f) => f.type === 'topology')).toBe(false);
    await people[2]!.client.close();
    expect(await sixth.client.waitFor((f) => f.type === 'topology')).toEqual({ type: 'topology', mode: 'mesh' });
  });

  it('falls back to a mesh while the SFU is away, for rooms that fit one, and goes back when it returns', async () => {
    const bridge = (await start(new RecordingBridge(), { topology: { sfuFrom: 2 }, maxPeersPerRoom: 2 })) as RecordingBridge;
    const ana = await joinWithSfu('small', 'Ana');
    await joinWithSfu('small', 'Bo');
    expect(await ana.client.waitFor((f) => f.type === 'topology')).toEqual({ type: 'topology', mode: 'sfu' });
    const big = [await joinWithSfu('big', 'Cy'), await joinWithSfu('big', 'Di'), await joinWithSfu('big', 'Ed')];
    await big[0]!.client.waitFor((f) => f.type === 'topology');
    bridge.available = false;
    bridge.emit('availability', { available: false });
    expect(await ana.client.waitFor((f) => f.type === 'topology')).toEqual({ type: 'topology', mode: 'mesh' });
    // Three people do not fit a mesh of two: that room waits for the SFU.
    await big[0]!.client.barrier();
    expect(big[0]!.client.unread.some((f) => f.type === 'topology')).toBe(false);
    bridge.available = true;
    bridge.emit('availability', { available: true });
    expect(await ana.client.waitFor((f) => f.type === 'topology')).toEqual({ type: 'topology', mode: 'sfu' });
  });

  it('keeps a client that cannot use an SFU out of an SFU room, with SFU_REQUIRED', async () => {
    await start(new RecordingBridge(), { topology: { sfuFrom: 2, meshAtMost: 1 } });
    await joinWithSfu('r', 'Ana');
    await joinWithSfu('r', 'Bo');
    const old = await h!.connect();
    old.send({ type: 'join', version: PROTOCOL_VERSION, minor: PROTOCOL_MINOR, features: ['resume'], room: 'r', name: 'Cy' });
    expect(await old.nextError()).toMatchObject({ code: 'SFU_REQUIRED', ref: 'join' });
    // A client of minor 2 does not know the code: it is told INTERNAL, with the same message.
    const older = await h!.connect();
    older.send({ type: 'join', version: PROTOCOL_VERSION, minor: 2, room: 'r', name: 'Di' });
    expect(await older.nextError()).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('SFU') as unknown, ref: 'join' });
  });

  it('brokers publish, subscribe, answer, configure and candidates to the bridge, and its offers back', async () => {
    const bridge = (await start()) as RecordingBridge;
    const { client, id } = await joinWithSfu('r', 'Ana');
    client.send({ type: 'sfu-publish', description: OFFER });
    expect(await client.next('sfu-published')).toEqual({ type: 'sfu-published', description: { type: 'answer', sdp: 'v=0\r\n' } });
    client.send({ type: 'sfu-subscribe' });
    client.send({ type: 'sfu-answer', description: { type: 'answer', sdp: 'v=0\r\n' } });
    client.send({ type: 'sfu-configure', streams: [{ mid: '1', layer: 0, paused: true }] });
    client.send({ type: 'sfu-candidates', leg: 'subscriber', candidates: [] });
    await client.barrier();
    await expect.poll(() => bridge.calls.length).toBe(5);
    expect(bridge.calls).toEqual([
      `publish r ${id} offer`,
      `subscribe r ${id}`,
      `answer r ${id}`,
      `configure r ${id} [{"mid":"1","layer":0,"paused":true}]`,
      `trickle r ${id} subscriber 0`,
    ]);
    bridge.emit('subscriberOffer', {
      room: 'r',
      peerId: id,
      offer: { type: 'offer', sdp: 'v=0\r\n' },
      streams: [{ mid: '0', peerId: 'p2', kind: 'audio' }],
    });
    expect(await client.next('sfu-offer')).toEqual({
      type: 'sfu-offer',
      description: { type: 'offer', sdp: 'v=0\r\n' },
      streams: [{ mid: '0', peer: 'p2', kind: 'audio' }],
    });
    bridge.emit('speaking', { room: 'r', peerIds: ['p2'] });
    expect(await client.next('sfu-speaking')).toEqual({ type: 'sfu-speaking', peers: ['p2'] });
    await client.close();
    await expect.poll(() => bridge.calls.at(-1)).toBe(`leave r ${id}`);
  });

  it('starts a participant afresh on the SFU when its client does: a publish from another connection, a second subscribe', async () => {
    const bridge = (await start()) as RecordingBridge;
    const { client, id } = await joinWithSfu('r', 'Ana');
    const offer = (ufrag: string) => ({ type: 'offer', sdp: `${OFFER.sdp}a=ice-ufrag:${ufrag}\r\n` });
    client.send({ type: 'sfu-publish', description: offer('one') });
    await client.next('sfu-published');
    client.send({ type: 'sfu-subscribe' });
    // Renegotiating the same connection (same ufrag) is not a fresh start.
    client.send({ type: 'sfu-publish', description: offer('one') });
    await client.next('sfu-published');
    // New connections: the SFU's side of the old ones ends first.
    client.send({ type: 'sfu-publish', description: offer('two') });
    await client.next('sfu-published');
    client.send({ type: 'sfu-subscribe' });
    client.send({ type: 'sfu-subscribe' });
    await client.barrier();
    await expect.poll(() => bridge.calls.length).toBe(8);
    expect(bridge.calls).toEqual([
      `publish r ${id} offer`,
      `subscribe r ${id}`,
      `publish r ${id} offer`,
      `leave r ${id}`,
      `publish r ${id} offer`,
      `subscribe r ${id}`,
      `leave r ${id}`,
      `subscribe r ${id}`,
    ]);
  });

  it('answers SFU_FAILED, with what failed, when the bridge refuses, and the session goes on', async () => {
    const bridge = (await start()) as RecordingBridge;
    const { client } = await joinWithSfu('r', 'Ana');
    bridge.fail = new SfuError('unavailable', 'Janus cannot be reached');
    client.send({ type: 'sfu-publish', description: OFFER });
    expect(await client.nextError()).toMatchObject({
      code: 'SFU_FAILED',
      ref: 'sfu-publish',
      message: 'the SFU could not publish your media: Janus cannot be reached',
    });
    client.send({ type: 'sfu-publish', description: OFFER });
    await client.next('sfu-published');
  });

  it('refuses a publish the join token does not allow, and requests of a client not in a room', async () => {
    const bridge = (await start()) as RecordingBridge;
    const token = await mintJoinToken({ room: 'r', name: 'Ana', permissions: { publishVideo: false } }, SECRET);
    const { client } = await joinWithSfu('r', 'Ana', { token });
    client.send({ type: 'sfu-publish', description: OFFER });
    expect(await client.nextError()).toMatchObject({ code: 'FORBIDDEN', ref: 'sfu-publish', message: expect.stringContaining('video') as unknown });
    const stranger = await h!.connect();
    stranger.send({ type: 'sfu-subscribe' });
    expect(await stranger.nextError()).toMatchObject({ code: 'NOT_IN_ROOM', ref: 'sfu-subscribe' });
    client.send({ type: 'sfu-answer', description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(await client.nextError()).toMatchObject({ code: 'SFU_FAILED', ref: 'sfu-answer' });
    expect(bridge.calls).toEqual([]);
  });

  it('closes the bridge with the server', async () => {
    const bridge = (await start()) as RecordingBridge;
    await h!.stop();
    h = undefined;
    expect(bridge.closed).toBe(true);
  });
});

describe('a server without an SFU', () => {
  it('lists no sfu feature, keeps rooms at 8, and answers SFU requests SFU_FAILED', async () => {
    h = await startHarness();
    const { client, joined } = await joinWithSfu('r', 'Ana');
    expect(joined).toMatchObject({ features: ['resume'], maxPeers: 8 });
    expect(joined.topology).toBeUndefined();
    client.send({ type: 'sfu-subscribe' });
    expect(await client.nextError()).toMatchObject({ code: 'SFU_FAILED', message: 'this server has no SFU', ref: 'sfu-subscribe' });
  });
});
