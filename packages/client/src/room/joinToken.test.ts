import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, readJoinToken } from './joinToken.js';

/** An unsigned token with `claims` (the client never checks the signature). */
const token = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;

describe('readJoinToken', () => {
  it('reads the room, name, expiry and permissions, allowing what the token omits', () => {
    expect(readJoinToken(token({ room: 'r', name: 'Ana', exp: 99, permissions: { publishVideo: false } }))).toEqual({
      room: 'r',
      name: 'Ana',
      exp: 99,
      permissions: { ...ALL_PERMISSIONS, publishVideo: false },
    });
    expect(readJoinToken(token({ room: 'r' }))?.permissions).toEqual(ALL_PERMISSIONS);
  });

  it('gives null for a token whose permissions the server would refuse, as for one that is not a JWT', () => {
    expect(readJoinToken(token({ room: 'r', permissions: { publishAudio: 'no' } }))).toBeNull();
    expect(readJoinToken(token({ room: 'r', permissions: null }))).toBeNull();
    expect(readJoinToken('not-a-token')).toBeNull();
  });
});
