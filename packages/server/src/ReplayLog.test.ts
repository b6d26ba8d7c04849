import { describe, expect, it } from 'vitest';
import { ReplayLog } from './ReplayLog.js';

const frame = (n: number): Buffer => Buffer.from(String(n));
const texts = (frames: Buffer[]): string[] => frames.map((f) => f.toString());

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
});
