import { describe, expect, it } from 'vitest';
import type { EncodedFrame } from './EncodedFrame.js';
import { ReplayLog } from './ReplayLog.js';

const frame = (n: number): EncodedFrame => ({ type: 'signal', bytes: Buffer.from(String(n)) });
const texts = (frames: EncodedFrame[]): string[] => frames.map((f) => f.bytes.toString());

describe('ReplayLog', () => {
  it('replays what a peer has not received yet', () => {
    const log = new ReplayLog(8);
    for (let n = 0; n < 5; n += 1) log.record(frame(n));
    expect(log.since(3)).toEqual({ from: 3, frames: [frame(3), frame(4)] });
    expect(log.since(5)).toEqual({ from: 5, frames: [] });
  });

  it('keeps only the last `capacity` frames', () => {
    const log = new ReplayLog(3);
    for (let n = 0; n < 10; n += 1) log.record(frame(n));
    expect(log.first).toBe(7);
    const { from, frames } = log.since(2);
    expect(from).toBe(7);
    expect(texts(frames)).toEqual(['7', '8', '9']);
  });

  it('replays nothing to a peer that claims more than was recorded', () => {
    const log = new ReplayLog(4);
    log.record(frame(0));
    expect(log.since(42)).toEqual({ from: 1, frames: [] });
  });

  it('replays the exact bytes and types of frames of any size, across wrap-around and growth', () => {
    const log = new ReplayLog(16);
    const sent: EncodedFrame[] = [];
    let seed = 7;
    for (let n = 0; n < 500; n += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      // Mostly small frames with a large one now and then, so the ring both wraps and grows.
      const size = seed % 10 === 0 ? 3000 + (seed % 5000) : 1 + (seed % 300);
      const bytes = Buffer.alloc(size, n % 251);
      if (size >= 4) bytes.writeUInt32LE(n, size - 4);
      const frame: EncodedFrame = { type: n % 2 ? 'signal' : 'peer-updated', bytes };
      log.record(frame);
      sent.push(frame);
      const received = Math.max(0, n + 1 - (seed % 20));
      const { from, frames } = log.since(received);
      expect(from).toBe(Math.max(received, n + 1 - 16));
      const digest = (f: EncodedFrame) => `${f.type}:${f.bytes.toString('base64')}`;
      expect(frames.map(digest)).toEqual(sent.slice(from).map(digest));
    }
  });

  it('grows rather than overwrite a frame it still holds', () => {
    const log = new ReplayLog(2);
    const a = frame(0);
    const big: EncodedFrame = { type: 'signal', bytes: Buffer.alloc(200, 1) };
    const next: EncodedFrame = { type: 'signal', bytes: Buffer.alloc(100, 2) };
    log.record(big);
    log.record(next);
    expect(texts(log.since(0).frames)).toEqual([big.bytes.toString(), next.bytes.toString()]);
    log.record(a);
    expect(texts(log.since(0).frames)).toEqual([next.bytes.toString(), '0']);
  });
});
