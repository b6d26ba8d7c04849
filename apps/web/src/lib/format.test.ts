import { describe, expect, it } from 'vitest';
import { formatBytes, formatEta, formatRate } from './format.js';

describe('format', () => {
  it('writes sizes and rates in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.50 KB');
    expect(formatBytes(20_971_520)).toBe('21.0 MB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
    expect(formatRate(11_200_000)).toBe('11.2 MB/s');
  });

  it('writes time left, or nothing when unknown', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(Infinity)).toBe('');
    expect(formatEta(4.2)).toBe('5 s left');
    expect(formatEta(125)).toBe('2 min 5 s left');
    expect(formatEta(3720)).toBe('1 h 2 min left');
  });
});
