import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, forbiddenMedia, readPermissions } from './permissions.js';

describe('readPermissions', () => {
  it('allows what the claim omits and forbids what it sets to false', () => {
    expect(readPermissions(undefined)).toEqual(ALL_PERMISSIONS);
    expect(readPermissions({})).toEqual(ALL_PERMISSIONS);
    expect(readPermissions({ publishVideo: false, shareScreen: true, other: 'ignored' })).toEqual({ ...ALL_PERMISSIONS, publishVideo: false });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'all'],
    ['a flag that is not a boolean', { publishAudio: 'no' }],
  ])('refuses %s', (_label, claim) => {
    expect(readPermissions(claim)).toBeUndefined();
  });

  it('gives a fresh object, never the frozen default', () => {
    const permissions = readPermissions(undefined);
    expect(permissions).not.toBe(ALL_PERMISSIONS);
    expect(Object.isFrozen(permissions)).toBe(false);
  });
});

describe('forbiddenMedia', () => {
  it('names the first part switched on that the permissions forbid', () => {
    const none = { publishAudio: false, publishVideo: false, shareScreen: false };
    expect(forbiddenMedia({ audio: true, video: true }, none)).toBe('audio');
    expect(forbiddenMedia({ video: true }, { ...ALL_PERMISSIONS, publishVideo: false })).toBe('video');
    expect(forbiddenMedia({ screen: true }, { ...ALL_PERMISSIONS, shareScreen: false })).toBe('screen');
    expect(forbiddenMedia({ audio: false, video: false, screen: false }, none)).toBeUndefined();
    expect(forbiddenMedia(undefined, none)).toBeUndefined();
  });
});
