import { describe, expect, it } from 'vitest';
import { connectivityFromEnv } from './connectivityConfig.js';

describe('connectivityFromEnv', () => {
  it('sets nothing by default', () => {
    expect(connectivityFromEnv({})).toEqual({});
  });

  it('reads resume, TURN and relay settings', () => {
    expect(
      connectivityFromEnv({
        PONTE_SECRET: 'a-long-enough-secret',
        PONTE_RESUME_TTL_S: '600',
        PONTE_RECONNECT_GRACE_MS: '0',
        PONTE_TURN_URLS: 'turn:a:3478, turns:a:5349',
        PONTE_TURN_SECRET: 'coturn',
        PONTE_TURN_TTL_S: '120',
        PONTE_RELAY_ONLY_ROOMS: 'private,board',
      }),
    ).toEqual({
      secret: 'a-long-enough-secret',
      resumeTokenTtlSeconds: 600,
      reconnectGraceMs: 0,
      turn: { urls: ['turn:a:3478', 'turns:a:5349'], secret: 'coturn', ttlSeconds: 120 },
      relayOnlyRooms: ['private', 'board'],
    });
    expect(connectivityFromEnv({ PONTE_RELAY_ONLY_ROOMS: '*' })).toEqual({ relayOnlyRooms: '*' });
  });

  it.each([
    [{ PONTE_SECRET: 'short' }, 'PONTE_SECRET'],
    [{ PONTE_TURN_URLS: 'turn:a' }, 'PONTE_TURN_URLS and PONTE_TURN_SECRET'],
    [{ PONTE_RECONNECT_GRACE_MS: '-5' }, 'PONTE_RECONNECT_GRACE_MS'],
    [{ PONTE_TURN_URLS: 'turn:a', PONTE_TURN_SECRET: 's', PONTE_TURN_TTL_S: 'soon' }, 'PONTE_TURN_TTL_S'],
  ])('refuses %j naming the variable', (env, name) => {
    expect(() => connectivityFromEnv(env)).toThrow(name);
  });
});
