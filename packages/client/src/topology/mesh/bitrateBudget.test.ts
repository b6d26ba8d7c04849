import { describe, expect, it } from 'vitest';
import { BITRATE_BUDGET_DEFAULTS, videoBitrateCap } from './bitrateBudget.js';

describe('videoBitrateCap', () => {
  it('shares the uplink between peers within the bounds', () => {
    expect(videoBitrateCap(BITRATE_BUDGET_DEFAULTS, 1)).toBe(1500);
    expect(videoBitrateCap(BITRATE_BUDGET_DEFAULTS, 2)).toBe(1250);
    expect(videoBitrateCap(BITRATE_BUDGET_DEFAULTS, 7)).toBe(357);
    expect(videoBitrateCap(BITRATE_BUDGET_DEFAULTS, 40)).toBe(150);
  });
});
