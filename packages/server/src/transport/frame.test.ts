import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closePayload, encodeFrame, isSendableCloseCode, Opcode, unmask } from './frame.js';

describe('unmask', () => {
  it('matches a byte-by-byte XOR for every length and alignment', () => {
    const backing = randomBytes(600);
    for (const length of [0, 1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 255, 512]) {
      for (let offset = 0; offset < 8; offset++) {
        const key = randomBytes(4);
        const data = Buffer.from(backing.subarray(0, offset + length)).subarray(offset);
        const expected = Buffer.from(data.map((byte, i) => byte ^ key[i & 3]!));
        unmask(data, key.readUInt32BE(0));
        expect(data.equals(expected), `length ${length}, offset ${offset}`).toBe(true);
      }
    }
  });
});

describe('encodeFrame', () => {
  it('uses the 7-bit, 16-bit and 64-bit lengths at their boundaries', () => {
    for (const [length, headerBytes] of [
      [0, 2],
      [125, 2],
      [126, 4],
      [65_535, 4],
      [65_536, 10],
    ] as const) {
      const payload = randomBytes(length);
      const frame = encodeFrame(Opcode.text, payload);
      expect(frame[0]).toBe(0x81);
      expect(frame.length).toBe(headerBytes + length);
      const claimed = headerBytes === 2 ? frame[1] : headerBytes === 4 ? frame.readUInt16BE(2) : Number(frame.readBigUInt64BE(2));
      expect(claimed).toBe(length);
      expect(frame.subarray(headerBytes).equals(payload)).toBe(true);
    }
  });

  it('puts the code first in a close payload and keeps it within a control frame', () => {
    const payload = closePayload(1001, 'x'.repeat(200));
    expect(payload.readUInt16BE(0)).toBe(1001);
    expect(payload.length).toBe(125);
    expect(closePayload(1000, '').length).toBe(2);
  });

  it('knows which close codes may be sent', () => {
    expect([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 3000, 4999].every(isSendableCloseCode)).toBe(true);
    expect([0, 999, 1004, 1005, 1006, 1015, 2000, 2999, 5000].some(isSendableCloseCode)).toBe(false);
  });
});
