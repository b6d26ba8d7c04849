import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EncodedFrame } from '../EncodedFrame.js';
import type { SessionStore } from '../SessionStore.js';

/** What the suite fixes about the stores it makes. */
export interface SessionStoreSetup {
  /** The clock the store must read (ms since 1970); the suite moves it. */
  now: () => number;
  /** Frames kept per replay log. */
  replayLimit: number;
  /** How long a lapsed id is remembered, in ms of `now`. */
  lapsedMemoryMs: number;
}

const frame = (n: number): EncodedFrame => ({ type: 'signal', bytes: Buffer.from(`{"n":${n}}`) });
const texts = (frames: EncodedFrame[]): string[] => frames.map((f) => f.bytes.toString());

/**
 * The contract every {@link SessionStore} passes, above all the epoch rule. `makeStores`
 * returns handles on ONE fresh, empty store as `processes` server processes would hold them
 * (the same object for the in-memory store). Every answer is awaited; time moves only
 * through the injected clock.
 */
export function describeSessionStoreContract(
  name: string,
  makeStores: (processes: number, setup: SessionStoreSetup) => Promise<SessionStore[]> | SessionStore[],
): void {
  describe(`SessionStore contract: ${name}`, () => {
    let time: number;
    let a: SessionStore;
    let b: SessionStore;
    let stores: SessionStore[];

    beforeEach(async () => {
      time = 1_700_000_000_000;
      stores = await makeStores(2, { now: () => time, replayLimit: 4, lapsedMemoryMs: 60_000 });
      [a, b] = stores as [SessionStore, SessionStore];
    });
    afterEach(async () => {
      for (const store of stores) await store.close();
    });

    it('gives every attaching connection a greater epoch, on any process, and a new peer nothing to take over', async () => {
      const first = await a.attach('p', 'r');
      expect(first).toMatchObject({ resumes: 'none', lapsed: false });
      const second = await b.attach('p', 'r');
      const other = await a.attach('q', 'r');
      expect(second.epoch).toBeGreaterThan(first.epoch);
      expect(other.epoch).not.toBe(second.epoch);
      expect((await a.attach('p', 'r')).epoch).toBeGreaterThan(second.epoch);
    });

    it('holds a peer only for its current connection, and hands the hold to the connection that resumes', async () => {
      const { epoch } = await a.attach('p', 'r');
      expect(await a.hold('p', { room: 'r', epoch: epoch - 1, deadline: time + 5000 })).toBe(false);
      expect(await a.hold('nobody', { room: 'r', epoch, deadline: time + 5000 })).toBe(false);
      expect(await a.hold('p', { room: 'r', epoch, deadline: time + 5000 })).toBe(true);
      expect(await b.held('p')).toEqual({ room: 'r', epoch, deadline: time + 5000 });
      expect(await b.attach('p', 'r')).toMatchObject({ resumes: 'held', lapsed: false });
      expect(await a.held('p')).toBeUndefined();
    });

    it('tells a connection that resumes while an older one has not let go that it supersedes it', async () => {
      await a.attach('p', 'r');
      expect(await b.attach('p', 'r')).toMatchObject({ resumes: 'attached' });
      expect(await b.attach('p', 'other room')).toMatchObject({ resumes: 'none' });
    });

    it('never lets a stale grace timer remove a peer that resumed on another process (the epoch rule)', async () => {
      // Process A: the peer's connection breaks and A holds it, with A's epoch.
      const onA = await a.attach('p', 'r');
      expect(await a.hold('p', { room: 'r', epoch: onA.epoch, deadline: time + 5000 })).toBe(true);
      // The peer resumes on process B before the grace ends.
      const onB = await b.attach('p', 'r');
      expect(onB.resumes).toBe('held');
      // A's grace timer fires: its hold is gone, and its epoch no longer speaks for the peer.
      time += 5000;
      expect(await a.expire('p', onA.epoch)).toBe(false);
      expect(await a.release('p', onA.epoch, true)).toBe(false);
      expect(await a.hold('p', { room: 'r', epoch: onA.epoch, deadline: time + 5000 })).toBe(false);
      // B's session is untouched: not lapsed, and B can hold and expire it with its own epoch.
      expect(await b.held('p')).toBeUndefined();
      expect(await b.hold('p', { room: 'r', epoch: onB.epoch, deadline: time + 5000 })).toBe(true);
      expect(await a.expire('p', onA.epoch)).toBe(false);
      expect(await b.held('p')).toMatchObject({ epoch: onB.epoch });
      expect(await b.expire('p', onB.epoch)).toBe(true);
      expect(await a.attach('p', 'r')).toMatchObject({ resumes: 'none', lapsed: true });
    });

    it('expires a hold only by the epoch that made it, ends the session and marks the peer lapsed', async () => {
      const { epoch } = await a.attach('p', 'r');
      expect(await a.expire('p', epoch)).toBe(false);
      await a.hold('p', { room: 'r', epoch, deadline: time + 1000 });
      expect(await b.expire('p', epoch + 1)).toBe(false);
      expect(await b.expire('p', epoch)).toBe(true);
      expect(await a.expire('p', epoch)).toBe(false);
      expect(await a.held('p')).toBeUndefined();
      const back = await a.attach('p', 'r');
      expect(back).toMatchObject({ resumes: 'none', lapsed: true });
      // The mark is consumed by the attach that reported it.
      await a.release('p', back.epoch, false);
      expect(await a.attach('p', 'r')).toMatchObject({ lapsed: false });
    });

    it('releases a peer only for its current connection; lapsed only when asked; unconditionally without an epoch', async () => {
      const first = await a.attach('p', 'r');
      const second = await b.attach('p', 'r');
      expect(await a.release('p', first.epoch, true)).toBe(false);
      expect(await b.attach('p', 'r')).toMatchObject({ resumes: 'attached', lapsed: false });
      const third = await b.attach('p', 'r');
      expect(await b.release('p', third.epoch, false)).toBe(true);
      expect(await a.attach('p', 'r')).toMatchObject({ resumes: 'none', lapsed: false });
      expect(await a.release('p', undefined, true)).toBe(true);
      expect(await a.release('p', undefined, true)).toBe(false);
      expect(await b.attach('p', 'r')).toMatchObject({ resumes: 'none', lapsed: true });
      expect(second.epoch).toBeGreaterThan(first.epoch);
    });

    it('forgets a lapsed peer after the lapsed memory', async () => {
      const { epoch } = await a.attach('p', 'r');
      await a.release('p', epoch, true);
      time += 60_001;
      expect(await b.attach('p', 'r')).toMatchObject({ resumes: 'none', lapsed: false });
    });

    it('sweeps the holds whose deadline passed, wherever they were made, once each', async () => {
      const p = await a.attach('p', 'r');
      const q = await a.attach('q', 'r');
      await a.attach('connected', 'r');
      await a.hold('p', { room: 'r', epoch: p.epoch, deadline: time + 1000 });
      await a.hold('q', { room: 'r', epoch: q.epoch, deadline: time + 5000 });
      expect(await b.sweep()).toEqual([]);
      time += 1000;
      expect(await b.sweep()).toEqual([{ peerId: 'p', room: 'r' }]);
      expect(await a.sweep()).toEqual([]);
      expect(await a.expire('p', p.epoch)).toBe(false);
      expect(await a.held('q')).toMatchObject({ epoch: q.epoch });
      // A hold that a resume took over is not swept.
      await b.attach('q', 'r');
      time += 10_000;
      expect(await a.sweep()).toEqual([]);
      expect(await b.attach('p', 'r')).toMatchObject({ resumes: 'none', lapsed: true });
      expect(await b.attach('connected', 'r')).toMatchObject({ resumes: 'attached' });
    });

    it('logs the last frames delivered to a peer with their indexes, across a hold and a resume elsewhere', async () => {
      const onA = await a.attach('p', 'r');
      for (let n = 0; n < 3; n += 1) a.record('p', frame(n));
      await a.hold('p', { room: 'r', epoch: onA.epoch, deadline: time + 1000 });
      a.record('p', frame(3));
      expect(await a.since('p', 1)).toEqual({ from: 1, frames: [frame(1), frame(2), frame(3)] });
      await b.attach('p', 'r');
      b.record('p', frame(4));
      b.record('p', frame(5));
      // Four are kept: a peer that fell further behind gets what is left.
      const replay = await b.since('p', 0);
      expect(replay.from).toBe(2);
      expect(texts(replay.frames)).toEqual(['{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}']);
      expect(await b.since('p', 6)).toEqual({ from: 6, frames: [] });
      expect(await b.since('p', 42)).toEqual({ from: 6, frames: [] });
    });

    it('keeps no log for a peer without a session, and starts a fresh one for a fresh session', async () => {
      a.record('ghost', frame(0));
      expect(await a.since('ghost', 0)).toEqual({ from: 0, frames: [] });
      const { epoch } = await a.attach('p', 'r');
      a.record('p', frame(0));
      expect(await a.since('p', 0)).toEqual({ from: 0, frames: [frame(0)] });
      await b.attach('p', 'another room');
      expect(await b.since('p', 0)).toEqual({ from: 0, frames: [] });
      b.record('p', frame(1));
      expect(await a.release('p', epoch, false)).toBe(false);
      expect(await a.since('p', 0)).toEqual({ from: 0, frames: [frame(1)] });
      await a.release('p', undefined, false);
      expect(await a.since('p', 0)).toEqual({ from: 0, frames: [] });
    });
  });
}
