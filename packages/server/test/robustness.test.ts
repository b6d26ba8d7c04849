import { PROTOCOL_VERSION, type PeerId, type PeerInfo, type RoomId } from '@ponte/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPeerBus } from '../src/rooms/memory/MemoryPeerBus.js';
import { MemoryRoomAdapter } from '../src/rooms/memory/MemoryRoomAdapter.js';
import { MemoryRoomStore } from '../src/rooms/memory/MemoryRoomStore.js';
import type { EncodedFrame } from '../src/rooms/EncodedFrame.js';
import { collectingLogger } from './logLines.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Fails the next `update` it is asked to store. */
class FlakyStore extends MemoryRoomStore {
  failNextUpdate = false;
  override async update(room: RoomId, peer: PeerInfo): Promise<boolean> {
    if (this.failNextUpdate) {
      this.failNextUpdate = false;
      throw new Error('store unavailable');
    }
    return super.update(room, peer);
  }
}

/**
 * Stands for a distributed bus whose broadcast resolves late: it holds the resolution of
 * the peer-joined broadcast until a signal has been delivered, opening the window in which
 * an existing peer's offer reaches the newcomer before its own `joined` could be sent.
 */
class LateBroadcastBus extends MemoryPeerBus {
  readonly #store: MemoryRoomStore;
  constructor(store: MemoryRoomStore) {
    super(store);
    this.#store = store;
  }
  #signalDelivered: () => void = () => {};
  readonly #signal = new Promise<void>((resolve) => (this.#signalDelivered = resolve));
  override async broadcast(room: RoomId, frame: EncodedFrame, exceptPeerId?: PeerId): Promise<void> {
    await super.broadcast(room, frame, exceptPeerId);
    if (frame.type === 'peer-joined' && (await this.#store.members(room)).length === 2) await this.#signal;
  }
  override deliver(room: RoomId, peerId: PeerId, frame: EncodedFrame): boolean {
    const delivered = super.deliver(room, peerId, frame);
    if (frame.type === 'signal') this.#signalDelivered();
    return delivered;
  }
}

describe('robustness', () => {
  it('holds frames for a newcomer until its joined has been sent, even with a slow adapter', async () => {
    const store = new MemoryRoomStore();
    h = await startHarness({ adapter: new MemoryRoomAdapter({ store, bus: new LateBroadcastBus(store) }) });
    const a = await h.joined('room1', 'Ana');
    const b = await h.connect();
    const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } } as const;
    void a.client.next('peer-joined').then((frame) => a.client.send({ type: 'signal', to: frame.peer.id, data: offer }));
    b.send({ type: 'join', version: PROTOCOL_VERSION, room: 'room1', name: 'Bo' });
    await b.next('joined');
    expect(await b.next('signal')).toEqual({ type: 'signal', from: a.id, data: offer });
  });

  it('answers INTERNAL when a handler throws, and the connection stays usable', async () => {
    const adapter = new FlakyStore();
    h = await startHarness({ adapter: new MemoryRoomAdapter({ store: adapter }) });
    const a = await h.joined('room1', 'Ana');
    const b = await h.joined('room1', 'Bo');
    await a.client.next('peer-joined');
    adapter.failNextUpdate = true;
    b.client.send({ type: 'update', state: { audio: true } });
    expect(await b.client.nextError()).toMatchObject({ code: 'INTERNAL', ref: 'update' });
    b.client.send({ type: 'update', state: { video: true } });
    expect(await a.client.next('peer-updated')).toMatchObject({ peer: { id: b.id, state: { audio: true, video: true } } });
  });

  it('keeps logs free of SDP, candidates and display names', async () => {
    const { logger, lines } = collectingLogger('trace');
    h = await startHarness({ logger });
    const secretSdp = 'v=0\r\no=- SECRET-SDP-BODY 2 IN IP4 127.0.0.1\r\n';
    const secretCandidate = 'candidate:SECRET-CANDIDATE 1 udp 1 10.1.2.3 5000 typ host';
    const a = await h.joined('room1', 'Secret Name One');
    const b = await h.joined('room1', 'Secret Name Two');
    a.client.send({ type: 'signal', to: b.id, data: { kind: 'description', description: { type: 'offer', sdp: secretSdp } } });
    a.client.send({ type: 'signal', to: b.id, data: { kind: 'candidates', candidates: [{ candidate: secretCandidate }] } });
    a.client.send({ type: 'signal', to: 'ghost', data: { kind: 'description', description: { type: 'offer', sdp: secretSdp } } });
    a.client.send({ type: 'signal', to: b.id, data: { kind: 'description', description: { type: 'pranswer', sdp: secretSdp } } });
    a.client.send({ type: 'update', name: 'Secret Name Three' });
    await b.client.waitFor((f) => f.type === 'peer-updated');
    await a.client.waitFor((f) => f.type === 'error' && f.code === 'BAD_MESSAGE');
    await a.client.close();
    await b.client.waitFor((f) => f.type === 'peer-left');
    const log = lines.join('');
    expect(log).toContain('peer joined');
    expect(log).toContain('UNKNOWN_PEER');
    expect(log).toContain('peer left');
    expect(log).not.toMatch(/SECRET|Secret Name/);
  });

  it('survives a burst of garbage from one client without affecting another room', async () => {
    h = await startHarness();
    const other = await h.joined('quiet', 'Ana');
    const noisy = await h.connect();
    const garbage = [
      '',
      'null',
      '"join"',
      '{"type":null}',
      '{"type":"join","version":1e999,"room":"r","name":"x"}',
      '['.repeat(10_000),
      '{"__proto__":{"type":"leave"}}',
    ];
    for (const text of garbage) noisy.send(text);
    for (let i = 0; i < garbage.length; i += 1) expect((await noisy.nextError()).code).toBe('BAD_MESSAGE');
    expect((await noisy.join('loud')).room).toBe('loud');
    await other.client.barrier();
    expect(other.client.unread).toEqual([]);
    other.client.send({ type: 'join', version: PROTOCOL_VERSION, room: 'quiet', name: 'Ana' });
    expect((await other.client.nextError()).code).toBe('ALREADY_JOINED');
  });
});
