import type { PeerId, PeerInfo } from '@ponte/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeServerFrame, type EncodedFrame } from '../EncodedFrame.js';
import type { PeerBus } from '../PeerBus.js';
import type { RoomStore } from '../RoomStore.js';

const state = { audio: true, video: false, screen: false };
const peer = (id: string): PeerInfo => ({ id, name: `n-${id}`, state });
const left = (id: string): EncodedFrame => encodeServerFrame({ type: 'peer-left', peer: id, reason: 'left' });

/** Server processes sharing one store, each with its own bus endpoint. */
export interface BusProcesses {
  /** The shared room store the buses read membership from. */
  store: RoomStore;
  /** One bus endpoint per process, in the order asked for. */
  buses: PeerBus[];
}

/** What one process's delivery handler received, with a way to wait for more. */
class Inbox {
  readonly frames: Array<{ to: PeerId; frame: unknown; bytes: Buffer }> = [];
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly handler = (to: PeerId, { bytes }: EncodedFrame): void => {
    this.frames.push({ to, frame: JSON.parse(bytes.toString()), bytes });
    this.#waiters = this.#waiters.filter((w) => (this.frames.length >= w.count ? (w.resolve(), false) : true));
  };

  /** Resolves once `count` frames have arrived in all. */
  reach(count: number): Promise<void> {
    if (this.frames.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  get to(): PeerId[] {
    return this.frames.map((f) => f.to);
  }
}

/**
 * The contract every {@link PeerBus} passes. `makeProcesses(n)` returns a fresh, empty store
 * and `n` bus endpoints over it, standing for `n` processes. Delivery may be asynchronous:
 * the suite waits for frames to arrive, and checks that something did NOT arrive by sending
 * a later frame to the same process and waiting for that (frames from one process to another
 * arrive in the order they were sent).
 */
export function describePeerBusContract(name: string, makeProcesses: (processes: number) => Promise<BusProcesses> | BusProcesses): void {
  describe(`PeerBus contract: ${name}`, () => {
    let store: RoomStore;
    let buses: PeerBus[];
    let inboxes: Inbox[];

    beforeEach(async () => {
      ({ store, buses } = await makeProcesses(2));
      inboxes = buses.map((bus) => {
        const inbox = new Inbox();
        bus.setDeliveryHandler(inbox.handler);
        return inbox;
      });
    });
    afterEach(async () => {
      for (const bus of buses) await bus.close();
      await store.close();
    });

    /** Joins `id` to `room` and registers it with process `at`. */
    async function member(room: string, id: string, at: number): Promise<void> {
      await store.join(room, peer(id), 8);
      await buses[at]!.register(id);
    }

    it('broadcasts the same frame to every member but the excepted one, on every process', async () => {
      await member('r', 'a', 0);
      await member('r', 'b', 0);
      await member('r', 'c', 1);
      await member('elsewhere', 'z', 0);
      await buses[1]!.broadcast('r', left('q'), 'b');
      await inboxes[0]!.reach(1);
      await inboxes[1]!.reach(1);
      expect(inboxes[0]!.to).toEqual(['a']);
      expect(inboxes[1]!.to).toEqual(['c']);
      expect(inboxes[0]!.frames[0]!.frame).toEqual({ type: 'peer-left', peer: 'q', reason: 'left' });
      expect(inboxes[1]!.frames[0]!.bytes.equals(inboxes[0]!.frames[0]!.bytes)).toBe(true);
    });

    it('delivers to one member of the named room only, and says whether it was one', async () => {
      await member('r', 'a', 0);
      await member('s', 'b', 0);
      expect(await buses[1]!.deliver('r', 'b', left('x'))).toBe(false);
      expect(await buses[1]!.deliver('r', 'ghost', left('x'))).toBe(false);
      expect(await buses[1]!.deliver('r', 'a', left('x'))).toBe(true);
      await inboxes[0]!.reach(1);
      expect(inboxes[0]!.to).toEqual(['a']);
    });

    it('delivers to the process that registered the peer last, which a stale unregister does not undo', async () => {
      await member('r', 'a', 0);
      await member('r', 'b', 0);
      await buses[1]!.register('a');
      await buses[0]!.unregister('a');
      expect(await buses[0]!.deliver('r', 'a', left('1'))).toBe(true);
      await inboxes[1]!.reach(1);
      expect(inboxes[1]!.to).toEqual(['a']);
      // Nothing for `a` reached process 0: a later frame to its own peer `b` arrives alone.
      expect(await buses[1]!.deliver('r', 'b', left('2'))).toBe(true);
      await inboxes[0]!.reach(1);
      expect(inboxes[0]!.to).toEqual(['b']);
    });

    it('drops the frames of a member no process registers, and of one unregistered', async () => {
      await member('r', 'a', 0);
      await store.join('r', peer('unregistered'), 8);
      await member('r', 'gone', 0);
      await buses[0]!.unregister('gone');
      expect(await buses[1]!.deliver('r', 'unregistered', left('1'))).toBe(true);
      expect(await buses[1]!.deliver('r', 'gone', left('2'))).toBe(true);
      await buses[1]!.broadcast('r', left('3'));
      await inboxes[0]!.reach(1);
      expect(inboxes[0]!.to).toEqual(['a']);
      expect(inboxes[0]!.frames[0]!.frame).toMatchObject({ peer: '3' });
      expect(inboxes[1]!.frames).toEqual([]);
    });

    it('keeps the order of the frames one process sends to a peer', async () => {
      await member('r', 'a', 1);
      for (let n = 0; n < 20; n += 1) await buses[0]!.deliver('r', 'a', left(String(n)));
      await inboxes[1]!.reach(20);
      expect(inboxes[1]!.frames.map((f) => (f.frame as { peer: string }).peer)).toEqual(Array.from({ length: 20 }, (_, n) => String(n)));
    });
  });
}
