import { describe, expect, it } from 'vitest';
import { backoffDelay, RECONNECT_DEFAULTS } from './backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially from the initial delay', () => {
    const high = () => 1;
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, RECONNECT_DEFAULTS, high))).toEqual([250, 500, 1000, 2000]);
  });

  it('is capped', () => {
    expect(backoffDelay(30, RECONNECT_DEFAULTS, () => 1)).toBe(3000);
    expect(backoffDelay(1000, RECONNECT_DEFAULTS, () => 1)).toBe(3000);
  });

  it('keeps half of the ceiling and jitters the other half', () => {
    expect(backoffDelay(3, RECONNECT_DEFAULTS, () => 0)).toBe(1000);
    expect(backoffDelay(3, RECONNECT_DEFAULTS, () => 0.5)).toBe(1500);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, RECONNECT_DEFAULTS)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(1000);
  });
});
