import { describe, expect, it } from 'vitest';
import { allocFrameBuffer } from './bufferPool.js';

describe('allocFrameBuffer', () => {
  it('hands out buffers of the asked length that never overlap, across slabs', () => {
    const buffers: Buffer[] = [];
    // ~2 MB of frames from 1 byte to past the pooled limit: many slabs.
    for (let i = 0; i < 600; i++) {
      const length = 1 + ((i * 7919) % 20_000);
      const buffer = allocFrameBuffer(length);
      expect(buffer.length).toBe(length);
      buffer.fill(i % 251);
      buffers.push(buffer);
    }
    buffers.forEach((buffer, i) =>
      expect(
        buffer.every((byte) => byte === i % 251),
        `buffer ${i}`,
      ).toBe(true),
    );
  });

  it('shares slabs between small frames and gives large ones memory of their own', () => {
    // Of three in a row, two share a slab (a slab holds fourteen), 8-byte aligned.
    const [a, b, c] = [allocFrameBuffer(4_600), allocFrameBuffer(4_600), allocFrameBuffer(4_600)];
    const [first, second] = a.buffer === b.buffer ? [a, b] : [b, c];
    expect(second.buffer).toBe(first.buffer);
    expect(second.buffer.byteLength).toBe(64 * 1024);
    expect(second.byteOffset % 8).toBe(0);
    const large = allocFrameBuffer(16 * 1024 + 1);
    expect(large.buffer.byteLength).toBe(16 * 1024 + 1);
  });
});
