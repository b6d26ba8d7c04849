import { describe, expect, it } from 'vitest';
import type { ClientFrame, MessageFrame, PeerInfo } from '@ponte/protocol';
import { FakeMediaStream, type FakePeerConnection } from '../../../test/fakePeerConnection.js';
import { fakePlatform, FakeTrack } from '../../../test/fakePlatform.js';
import { avStreams, sfuOffer } from '../../../test/sfuSdp.js';
import { EncodedMessage } from '../../data/EncodedMessage.js';
import { openEnvelope } from '../../data/RelayedMessages.js';
import type { MediaTopologyEvents } from '../MediaTopology.js';
import { SfuTopology } from './SfuTopology.js';

const state = { audio: true, video: true, screen: false };
const info = (id: string): PeerInfo => ({ id, name: id, state });

/** Lets every queued promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function startSfu(tracks: { audio?: boolean; video?: boolean } = { audio: true, video: true }) {
  const fake = fakePlatform();
  const sent: ClientFrame[] = [];
  const relayed: MessageFrame[] = [];
  const events: string[] = [];
  const payloads: { name: string; payload: unknown }[] = [];
  const local = {
    audio: tracks.audio ? (new FakeTrack('audio') as unknown as MediaStreamTrack) : null,
    video: tracks.video ? (new FakeTrack('video') as unknown as MediaStreamTrack) : null,
  };
  const sfu = new SfuTopology({
    platform: fake.platform,
    local: { stream: new FakeMediaStream() as unknown as MediaStream, track: (kind) => local[kind] },
    signal: () => {},
    sendSfu: (frame) => sent.push(frame),
    relay: (frame) => relayed.push(frame),
    emit: <K extends keyof MediaTopologyEvents>(name: K, payload: MediaTopologyEvents[K]) => {
      payloads.push({ name, payload });
      const peer = (payload as { peer?: { id: string }; id?: string }).peer ?? payload;
      events.push(`${name} ${(peer as { id?: string }).id ?? ''}`.trim());
    },
  });
  sfu.configureIce({ iceServers: [{ urls: 'stun:stun.example.org' }] });
  return { sfu, fake, sent, relayed, events, payloads, local };
}

const publisherOf = (fake: ReturnType<typeof fakePlatform>): FakePeerConnection => fake.connections[0] as FakePeerConnection;
const subscriberOf = (fake: ReturnType<typeof fakePlatform>): FakePeerConnection => fake.connections[1] as FakePeerConnection;
const ofType = <T extends ClientFrame['type']>(sent: ClientFrame[], type: T) =>
  sent.filter((frame): frame is Extract<ClientFrame, { type: T }> => frame.type === type);

describe('SfuTopology on a fake platform', () => {
  it('publishes audio and video in three simulcast layers, trickles its candidates after the offer, and takes the answer', async () => {
    const { sfu, fake, sent } = startSfu();
    sfu.start();
    await settle();
    const publisher = publisherOf(fake);
    expect(publisher.configuration).toMatchObject({ bundlePolicy: 'max-bundle', iceServers: [{ urls: 'stun:stun.example.org' }] });
    expect(publisher.transceivers.map((t) => [t.receiver.track.kind, t.direction])).toEqual([
      ['audio', 'sendonly'],
      ['video', 'sendonly'],
    ]);
    expect(publisher.transceivers[1]?.sendEncodings).toEqual([
      { rid: 'q', active: true, scaleResolutionDownBy: 4, maxBitrate: 150_000 },
      { rid: 'h', active: true, scaleResolutionDownBy: 2, maxBitrate: 500_000 },
      { rid: 'f', active: true, scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
    ]);
    expect(sent.map((frame) => frame.type)).toEqual(['sfu-subscribe', 'sfu-publish']);
    expect(ofType(sent, 'sfu-publish')[0]?.description.type).toBe('offer');

    publisher.find('candidate:1 1 udp 1 192.0.2.1 5000 typ host');
    publisher.completeGathering();
    expect(ofType(sent, 'sfu-candidates')).toEqual([
      {
        type: 'sfu-candidates',
        leg: 'publisher',
        candidates: [expect.objectContaining({ candidate: 'candidate:1 1 udp 1 192.0.2.1 5000 typ host' })],
      },
      { type: 'sfu-candidates', leg: 'publisher', candidates: [] },
    ]);

    sfu.receive({ type: 'sfu-published', description: { type: 'answer', sdp: 'v=0\r\n' } });
    await settle();
    expect(publisher.remoteDescription).toEqual({ type: 'answer', sdp: 'v=0\r\n' });
  });

  it('swaps a new track of a published kind in without a negotiation, and offers a new kind once the last offer is answered', async () => {
    const { sfu, fake, sent } = startSfu({ audio: true });
    sfu.start();
    await settle();
    expect(publisherOf(fake).transceivers).toHaveLength(1);
    sfu.setLocalTrack('audio', new FakeTrack('audio') as unknown as MediaStreamTrack);
    sfu.setLocalTrack('video', new FakeTrack('video') as unknown as MediaStreamTrack);
    await settle();
    // One offer waits for its answer: the change is offered after it.
    expect(ofType(sent, 'sfu-publish')).toHaveLength(1);
    sfu.receive({ type: 'sfu-published', description: { type: 'answer', sdp: 'v=0\r\n' } });
    await settle();
    expect(ofType(sent, 'sfu-publish')).toHaveLength(2);
    expect(publisherOf(fake).transceivers.map((t) => t.receiver.track.kind)).toEqual(['audio', 'video']);
  });

  it('publishes nothing without tracks, but subscribes', async () => {
    const { sfu, sent } = startSfu({});
    sfu.start();
    await settle();
    expect(sent.map((frame) => frame.type)).toEqual(['sfu-subscribe']);
  });

  it('answers each offer of the SFU and gives every stream to its peer as streams come, go and move between media lines', async () => {
    const { sfu, fake, sent, events } = startSfu();
    sfu.addPeer(info('p1'));
    sfu.addPeer(info('p2'));
    sfu.start();
    sfu.receive(sfuOffer(avStreams('p1')));
    await settle();
    const subscriber = subscriberOf(fake);
    expect(subscriber.remoteDescription?.type).toBe('offer');
    expect(ofType(sent, 'sfu-answer')).toEqual([{ type: 'sfu-answer', description: { type: 'answer', sdp: expect.any(String) } }]);
    const p1 = sfu.peers.get('p1');
    expect(p1?.stream.getTracks().map((track) => track.id)).toEqual([subscriber.remoteTrack('0').id, subscriber.remoteTrack('1').id]);
    expect(events.filter((event) => event.startsWith('track'))).toEqual(['track p1', 'track p1']);

    // p2 starts publishing: a new offer with its streams added.
    sfu.receive(sfuOffer(avStreams('p1', 'p2')));
    await settle();
    expect(ofType(sent, 'sfu-answer')).toHaveLength(2);
    expect(
      sfu.peers
        .get('p2')
        ?.stream.getTracks()
        .map((track) => track.id),
    ).toEqual([subscriber.remoteTrack('2').id, subscriber.remoteTrack('3').id]);

    // p1 stops: its streams are gone from the offer and from its stream.
    sfu.receive(sfuOffer(avStreams('p1', 'p2').slice(2)));
    await settle();
    expect(p1?.stream.getTracks()).toEqual([]);
    expect(sfu.peers.get('p2')?.stream.getTracks()).toHaveLength(2);

    // The SFU reuses p1's old video line for p3, who is introduced after its stream came.
    sfu.receive(sfuOffer([...avStreams('p1', 'p2').slice(2), { mid: '1', peer: 'p3', kind: 'video' }]));
    await settle();
    sfu.addPeer(info('p3'));
    expect(
      sfu.peers
        .get('p3')
        ?.stream.getTracks()
        .map((track) => track.id),
    ).toEqual([subscriber.remoteTrack('1').id]);
  });

  it('trickles the subscriber candidates after its answer', async () => {
    const { sfu, fake, sent } = startSfu();
    sfu.start();
    const subscriber = subscriberOf(fake);
    subscriber.find('candidate:early');
    sfu.receive(sfuOffer(avStreams('p1')));
    await settle();
    subscriber.completeGathering();
    const candidates = ofType(sent, 'sfu-candidates').filter((frame) => frame.leg === 'subscriber');
    expect(candidates.map((frame) => frame.candidates.map((c) => c.candidate))).toEqual([['candidate:early'], []]);
    expect(sent.findIndex((frame) => frame.type === 'sfu-answer')).toBeLessThan(
      sent.findIndex((frame) => frame.type === 'sfu-candidates' && frame.leg === 'subscriber'),
    );
  });

  it('asks for the layer a tile needs, pauses a video not shown, and asks each media line only what changed', async () => {
    const { sfu, sent } = startSfu();
    sfu.addPeer(info('p1'));
    sfu.addPeer(info('p2'));
    sfu.setTileSize('p1', { width: 320, height: 180 });
    expect(ofType(sent, 'sfu-configure')).toEqual([]);
    sfu.start();
    sfu.receive(sfuOffer(avStreams('p1', 'p2')));
    await settle();
    expect(ofType(sent, 'sfu-configure')).toEqual([{ type: 'sfu-configure', streams: [{ mid: '1', layer: 0, paused: false }] }]);
    sfu.setTileSize('p2', { width: 1280, height: 720 });
    sfu.setTileSize('p1', null);
    sfu.requestLayers('p2', { layer: 1 });
    expect(ofType(sent, 'sfu-configure').slice(1)).toEqual([
      { type: 'sfu-configure', streams: [{ mid: '3', layer: 2, paused: false }] },
      { type: 'sfu-configure', streams: [{ mid: '1', layer: 0, paused: true }] },
      { type: 'sfu-configure', streams: [{ mid: '3', layer: 1, paused: false }] },
    ]);
    // The same wish again, and a new offer that keeps the lines: the SFU is not asked again.
    sfu.setTileSize('p1', null);
    sfu.receive(sfuOffer(avStreams('p1', 'p2')));
    await settle();
    expect(ofType(sent, 'sfu-configure')).toHaveLength(4);
    // The lines change owners: each is asked what its new owner's tile needs.
    sfu.receive(sfuOffer(avStreams('p2', 'p1')));
    await settle();
    expect(ofType(sent, 'sfu-configure').slice(4)).toEqual([
      { type: 'sfu-configure', streams: [{ mid: '3', layer: 0, paused: true }] },
      { type: 'sfu-configure', streams: [{ mid: '1', layer: 1, paused: false }] },
    ]);
  });

  it('tells who speaks as active-speakers, known peers only, loudest first', () => {
    const { sfu, payloads } = startSfu();
    sfu.addPeer(info('p1'));
    sfu.addPeer(info('p2'));
    sfu.receive({ type: 'sfu-speaking', peers: ['p2', 'stranger', 'p1'] });
    const speakers = payloads.find((entry) => entry.name === 'active-speakers')?.payload as MediaTopologyEvents['active-speakers'];
    expect(speakers.peers.map((peer) => peer.id)).toEqual(['p2', 'p1']);
  });

  it('reports a refused publish as an error and publishes again on the next change', async () => {
    const { sfu, sent, events } = startSfu({ audio: true });
    sfu.start();
    await settle();
    sfu.receive({ type: 'error', code: 'SFU_FAILED', message: 'the SFU could not publish your media', ref: 'sfu-publish' });
    expect(events).toContain('error');
    sfu.setLocalTrack('video', new FakeTrack('video') as unknown as MediaStreamTrack);
    await settle();
    expect(ofType(sent, 'sfu-publish')).toHaveLength(2);
  });

  it('relays messages through the server in an envelope, JSON or base64 bytes, and refuses files', () => {
    const { sfu, relayed } = startSfu();
    sfu.addPeer(info('p1'));
    sfu.addPeer(info('p2'));
    const [p1, p2] = sfu.dataTargets(undefined);
    p1?.sendEncoded(new EncodedMessage({ hello: 'there' }));
    p2?.sendEncoded(new EncodedMessage(new Uint8Array([1, 2, 255])));
    expect(relayed).toEqual([
      { type: 'message', to: ['p1'], data: { json: { hello: 'there' } } },
      { type: 'message', to: ['p2'], data: { bytes: 'AQL/' } },
    ]);
    expect(new Uint8Array(openEnvelope(relayed[1]?.data) as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 255]));
    expect(() => p1?.sendEncoded(new EncodedMessage('x'.repeat(20_000)))).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
    expect(() => p1?.sendFile(new Blob(['x']), {})).toThrow(expect.objectContaining({ code: 'SFU_UNSUPPORTED' }));
    expect(() => sfu.dataTargets('nobody')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PEER' }));
  });

  it('closes both connections, and starts afresh on new ones (after a resume)', async () => {
    const { sfu, fake, sent } = startSfu();
    sfu.start();
    sfu.receive(sfuOffer(avStreams('p1')));
    await settle();
    sfu.start();
    expect(fake.connections.slice(0, 2).every((pc) => pc.closed)).toBe(true);
    expect(ofType(sent, 'sfu-subscribe')).toHaveLength(2);
    sfu.close();
    expect(fake.connections.every((pc) => pc.closed)).toBe(true);
  });
});
