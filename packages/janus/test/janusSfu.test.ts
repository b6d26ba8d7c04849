import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import Janode from 'janode';
import VideoRoomPlugin from 'janode/plugins/videoroom';
import { connectJanusSfu, videoRoomId, type JanusSfu, type JanusSfuOptions } from '../src/index.js';
import { SfuError, type SfuStream } from '@ponte/server';
import { EventLog, publish, Subscriber, type Loudness, type Publisher } from './mediaPeers.js';
import { startJanus } from './janusServer.js';
import type {} from './providedContext.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** A bridge on the shared Janus (or `url`), as one server process would have it. */
async function bridge(overrides: Partial<JanusSfuOptions> = {}): Promise<{ sfu: JanusSfu; log: EventLog }> {
  const log = new EventLog();
  const sfu = await connectJanusSfu({
    url: inject('janusUrl'),
    adminKey: inject('janusAdminKey'),
    roomSecret: 'test-room-secret',
    nodeId: `node-${randomUUID()}`,
    requestTimeoutMs: 5_000,
    ...overrides,
  });
  sfu.setEventHandler(log.handler);
  cleanups.push(() => sfu.close());
  return { sfu, log };
}

async function publisher(sfu: JanusSfu, room: string, peerId: string, loudness?: Loudness): Promise<Publisher> {
  const peer = await publish(sfu, room, peerId, loudness);
  cleanups.push(() => peer.close());
  return peer;
}

function subscriber(sfu: JanusSfu, log: EventLog, room: string, peerId: string): Subscriber {
  const peer = new Subscriber(sfu, log, room, peerId);
  cleanups.push(() => peer.close());
  return peer;
}

/** Asks Janus directly (its VideoRoom `exists`) whether the bridge's VideoRoom of `room` exists. */
async function videoRoomExists(room: string): Promise<boolean> {
  const connection = await Janode.connect({ address: { url: inject('janusUrl') }, max_retries: 0 });
  try {
    const session = await connection.create();
    const handle = await session.attach(VideoRoomPlugin);
    const reply = await handle.sendRequest({ janus: 'message', body: { request: 'exists', room: videoRoomId(room) } }, 5_000);
    return reply.plugindata?.data.exists === true;
  } finally {
    await connection.close();
  }
}

const kindsOf = (streams: SfuStream[], peerId: string): string[] =>
  streams
    .filter((stream) => stream.peerId === peerId)
    .map((stream) => stream.kind)
    .sort();

describe('JanusSfu over a real Janus', () => {
  it('publishes, subscribes and forwards RTP; follows publishers coming and going', async () => {
    const { sfu, log } = await bridge();
    const room = `room-${randomUUID()}`;
    const up = log.next('connection', (event) => event.peerId === 'A' && event.leg === 'publisher' && event.state === 'up');
    await publisher(sfu, room, 'A');
    await up;

    const b = subscriber(sfu, log, room, 'B');
    await sfu.subscribe(room, 'B');
    const first = await b.answerUntil((streams) => kindsOf(streams, 'A').length === 2);
    expect(kindsOf(first, 'A')).toEqual(['audio', 'video']);
    await b.morePackets(b.mid('A', 'audio'), 10);
    await b.morePackets(b.mid('A', 'video'), 10);

    await publisher(sfu, room, 'C');
    const withC = await b.answerUntil((streams) => kindsOf(streams, 'C').length === 2);
    expect(kindsOf(withC, 'A')).toEqual(['audio', 'video']);
    await b.morePackets(b.mid('C', 'video'), 10);

    await sfu.leave(room, 'C');
    const withoutC = await b.answerUntil((streams) => kindsOf(streams, 'C').length === 0);
    expect(kindsOf(withoutC, 'A')).toEqual(['audio', 'video']);
    await b.morePackets(b.mid('A', 'audio'), 10);
  });

  it('pauses and resumes one forwarded stream on configure', async () => {
    const { sfu, log } = await bridge();
    const room = `room-${randomUUID()}`;
    await publisher(sfu, room, 'A');
    const b = subscriber(sfu, log, room, 'B');
    await sfu.subscribe(room, 'B');
    await b.answerUntil((streams) => kindsOf(streams, 'A').length === 2);
    const audio = b.mid('A', 'audio');
    const video = b.mid('A', 'video');
    await b.morePackets(video, 5);

    await sfu.configure(room, 'B', [{ mid: video, paused: true }]);
    // Packets already on their way may still land: count from after the next few audio packets.
    await b.morePackets(audio, 5);
    const paused = b.packets.get(video) ?? 0;
    // A second of audio (50 packets) while video would have sent about 30 packets.
    await b.morePackets(audio, 50);
    expect(b.packets.get(video) ?? 0).toBe(paused);

    await sfu.configure(room, 'B', [{ mid: video, paused: false }]);
    await b.morePackets(video, 10);
    expect(b.packets.get(video) ?? 0).toBeGreaterThanOrEqual(paused + 10);

    // A layer request on an unlayered stream (werift cannot send simulcast) is accepted and harmless.
    await sfu.configure(room, 'B', [{ mid: video, layer: 0 }]);
    await b.morePackets(video, 10);
  });

  it('tells who speaks, from the audio levels Janus measures', async () => {
    const { sfu, log } = await bridge({ audioActivePackets: 10 });
    const room = `room-${randomUUID()}`;
    const a: Loudness = { level: 127 };
    await publisher(sfu, room, 'A', a);
    await publisher(sfu, room, 'Q');

    const speaking = log.next('speaking', (event) => event.room === room && event.peerIds.length > 0);
    a.level = 10;
    expect((await speaking).event.peerIds).toEqual(['A']);
    const silent = log.next('speaking', (event) => event.room === room && event.peerIds.length === 0);
    a.level = 127;
    await silent;
  });

  it('puts the participants of one room on two server processes into one VideoRoom', async () => {
    const first = await bridge({ nodeId: 'process-1' });
    const second = await bridge({ nodeId: 'process-2' });
    const room = `room-${randomUUID()}`;
    const b = subscriber(second.sfu, second.log, room, 'B');
    // Both processes make the VideoRoom at once: one of them finds it made already.
    await Promise.all([publisher(first.sfu, room, 'A'), second.sfu.subscribe(room, 'B')]);
    const streams = await b.answerUntil((list) => kindsOf(list, 'A').length === 2);
    expect(kindsOf(streams, 'A')).toEqual(['audio', 'video']);
    await b.morePackets(b.mid('A', 'video'), 10);

    // And the other way round: B's publication reaches a subscriber on the first process.
    await publisher(second.sfu, room, 'B');
    const c = subscriber(first.sfu, first.log, room, 'C');
    await first.sfu.subscribe(room, 'C');
    await c.answerUntil((list) => kindsOf(list, 'A').length === 2 && kindsOf(list, 'B').length === 2);
    await c.morePackets(c.mid('B', 'audio'), 10);
  });

  it('takes over participant ids a stale session of a restarted process still holds', async () => {
    // The old process never closes its session (as if it died), so Janus still holds its ids.
    const old = await bridge({ nodeId: 'restarting-process' });
    const room = `room-${randomUUID()}`;
    await publisher(old.sfu, room, 'A');
    const renewed = await bridge({ nodeId: 'restarting-process' });
    // Both its watcher and A's publisher id are taken: the bridge kicks the stale ones and joins.
    await publisher(renewed.sfu, room, 'A');
    const b = subscriber(renewed.sfu, renewed.log, room, 'B');
    await renewed.sfu.subscribe(room, 'B');
    await b.answerUntil((streams) => kindsOf(streams, 'A').length === 2);
    await b.morePackets(b.mid('A', 'video'), 10);
  });

  it('destroys the VideoRoom when its last participant leaves, and makes it again on next use', async () => {
    const { sfu, log } = await bridge();
    const room = `room-${randomUUID()}`;
    const a = await publisher(sfu, room, 'A');
    const b = subscriber(sfu, log, room, 'B');
    await sfu.subscribe(room, 'B');
    await b.answerUntil((streams) => kindsOf(streams, 'A').length === 2);
    expect(await videoRoomExists(room)).toBe(true);

    await sfu.leave(room, 'B');
    await sfu.leave(room, 'B');
    expect(await videoRoomExists(room)).toBe(true);
    await sfu.leave(room, 'A');
    await a.close();
    expect(await videoRoomExists(room)).toBe(false);
    await expect(sfu.trickle(room, 'A', 'publisher', [])).rejects.toMatchObject({ reason: 'not-in-room' });

    await publisher(sfu, room, 'A');
    expect(await videoRoomExists(room)).toBe(true);
  });

  it('reports Janus going away, refuses requests meanwhile, and comes back when Janus does', async () => {
    const janus = await startJanus();
    cleanups.push(() => janus.dispose());
    const { sfu, log } = await bridge({ url: janus.url, adminKey: janus.adminKey, reconnectMinDelayMs: 50, reconnectMaxDelayMs: 400 });
    const room = `room-${randomUUID()}`;
    await publisher(sfu, room, 'A');

    const down = log.next('availability', (event) => !event.available);
    await janus.stop();
    await down;
    expect(sfu.available).toBe(false);
    await expect(sfu.subscribe(room, 'B')).rejects.toMatchObject({ name: 'SfuError', reason: 'unavailable' });
    await expect(sfu.publish(room, 'A', { type: 'offer', sdp: 'v=0' })).rejects.toMatchObject({ reason: 'unavailable' });

    const back = log.next('availability', (event) => event.available);
    await janus.start();
    await back;
    expect(sfu.available).toBe(true);
    // The room is made again on first use, and media flows as before.
    await publisher(sfu, room, 'A');
    const b = subscriber(sfu, log, room, 'B');
    await sfu.subscribe(room, 'B');
    await b.answerUntil((streams) => kindsOf(streams, 'A').length === 2);
    await b.morePackets(b.mid('A', 'audio'), 10);
  });

  it('rejects with timeout when Janus does not answer in time', async () => {
    const janus = await startJanus();
    cleanups.push(() => janus.dispose());
    const { sfu } = await bridge({ url: janus.url, adminKey: janus.adminKey, requestTimeoutMs: 300 });
    janus.freeze();
    cleanups.push(async () => janus.thaw());
    await expect(sfu.subscribe(`room-${randomUUID()}`, 'B')).rejects.toMatchObject({ name: 'SfuError', reason: 'timeout' });
    janus.thaw();
    // Once Janus answers again, so does the bridge.
    const room = `room-${randomUUID()}`;
    await publisher(sfu, room, 'A');
  });

  it('does not connect to a Janus that is not there', async () => {
    const janus = await startJanus();
    const url = janus.url;
    await janus.dispose();
    await expect(bridge({ url })).rejects.toMatchObject({ name: 'SfuError', reason: 'unavailable' });
  });

  it('refuses a bad offer and requests for unknown participants, and goes on working', async () => {
    const { sfu, log } = await bridge();
    const room = `room-${randomUUID()}`;
    const garbage = sfu.publish(room, 'X', { type: 'offer', sdp: 'v=0\r\nthis is not a session description\r\n' });
    await expect(garbage).rejects.toBeInstanceOf(SfuError);
    await expect(garbage).rejects.toMatchObject({ reason: 'rejected' });
    // Janus's reason quotes the offending line; the error keeps only its code.
    await expect(garbage).rejects.not.toHaveProperty('message', expect.stringContaining('not a session'));
    await expect(sfu.publish(room, 'X', { type: 'answer', sdp: 'v=0' })).rejects.toMatchObject({ reason: 'rejected' });

    await expect(sfu.answerSubscriber(room, 'nobody', { type: 'answer', sdp: 'v=0' })).rejects.toMatchObject({ reason: 'not-in-room' });
    await expect(sfu.configure(room, 'nobody', [{ mid: '0', paused: true }])).rejects.toMatchObject({ reason: 'not-in-room' });
    await expect(sfu.trickle(room, 'nobody', 'subscriber', [])).rejects.toMatchObject({ reason: 'not-in-room' });
    await expect(sfu.answerSubscriber(`room-${randomUUID()}`, 'nobody', { type: 'answer', sdp: 'v=0' })).rejects.toMatchObject({
      reason: 'not-in-room',
    });
    await expect(sfu.leave(room, 'nobody')).resolves.toBeUndefined();

    // The same participant can still publish for real, and a subscriber still receives it.
    expect(sfu.available).toBe(true);
    const x = await publisher(sfu, room, 'X');
    const b = subscriber(sfu, log, room, 'B');
    await sfu.subscribe(room, 'B');
    await expect(sfu.configure(room, 'B', [{ mid: 'no-such-mid', paused: true }])).rejects.toMatchObject({ reason: 'rejected' });
    await b.answerUntil((streams) => kindsOf(streams, 'X').length === 2);
    await expect(sfu.answerSubscriber(room, 'B', { type: 'answer', sdp: 'v=0' })).rejects.toMatchObject({ reason: 'rejected' });
    await b.morePackets(b.mid('X', 'audio'), 10);

    // A new offer of a publisher renegotiates; its media keeps flowing.
    await x.renegotiate();
    await b.morePackets(b.mid('X', 'video'), 10);
  });
});
