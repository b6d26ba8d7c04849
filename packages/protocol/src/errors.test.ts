import { describe, expect, it } from 'vitest';
import { ERROR_CODE_SINCE_MINOR, ERROR_CODES, errorCodeForMinor } from './errors.js';
import { PROTOCOL_MINOR } from './version.js';

describe('errorCodeForMinor', () => {
  it('sends UNAVAILABLE to clients of minor 2 or later, INTERNAL to older ones', () => {
    expect(errorCodeForMinor('UNAVAILABLE', 2)).toBe('UNAVAILABLE');
    expect(errorCodeForMinor('UNAVAILABLE', PROTOCOL_MINOR + 3)).toBe('UNAVAILABLE');
    expect(errorCodeForMinor('UNAVAILABLE', 1)).toBe('INTERNAL');
    expect(errorCodeForMinor('UNAVAILABLE', 0)).toBe('INTERNAL');
  });

  it('sends every code of 1.0 as it is, whatever the minor', () => {
    for (const code of ERROR_CODES.filter((code) => ERROR_CODE_SINCE_MINOR[code] === undefined)) {
      expect(errorCodeForMinor(code, 0)).toBe(code);
    }
  });

  it('names only codes this version has, none newer than this minor', () => {
    for (const [code, since] of Object.entries(ERROR_CODE_SINCE_MINOR)) {
      expect(ERROR_CODES).toContain(code);
      expect(since).toBeGreaterThan(0);
      expect(since).toBeLessThanOrEqual(PROTOCOL_MINOR);
    }
  });
});
