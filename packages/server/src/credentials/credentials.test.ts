import { describe, expect, it } from 'vitest';
import { mintResumeToken, verifyResumeToken } from './resumeToken.js';
import { iceServersFor, mintTurnCredential } from './turnCredentials.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('mintTurnCredential', () => {
  it('matches the TURN REST API scheme coturn checks', () => {
    // Vector computed independently: printf '%s' '1795350000:peer1' | openssl dgst -sha1 -hmac secret -binary | base64
    const { username, credential } = mintTurnCredential('secret', 'peer1', 3600, (1795350000 - 3600) * 1000);
    expect(username).toBe('1795350000:peer1');
    expect(credential).toBe('EJlBkM6kjaahjwP4EQ7nTlv9Ovg=');
  });

  it('adds one TURN entry per peer after the static servers', () => {
    const base = [{ urls: 'stun:stun.example.org' }];
    expect(iceServersFor('p', base, undefined, NOW)).toBe(base);
    const servers = iceServersFor('p', base, { urls: ['turn:t:3478'], secret: 's', ttlSeconds: 60 }, NOW);
    expect(servers).toHaveLength(2);
    expect(servers[1]).toMatchObject({ urls: ['turn:t:3478'], username: `${NOW / 1000 + 60}:p` });
  });
});

describe('resume tokens', () => {
  const grants = { permissions: { publishAudio: true, publishVideo: false, shareScreen: false }, name: 'Ana' };
  const token = mintResumeToken('secret', 'room-1', 'peer-1', 60, grants, NOW);

  it('verify with the same secret before expiry', () => {
    expect(verifyResumeToken('secret', token, NOW + 59_000)).toEqual({
      ok: true,
      claims: { room: 'room-1', peer: 'peer-1', exp: NOW / 1000 + 60, grants },
    });
  });

  it('are refused once expired', () => {
    expect(verifyResumeToken('secret', token, NOW + 60_000)).toEqual({ ok: false, error: 'expired' });
  });

  it('are refused with another secret', () => {
    expect(verifyResumeToken('other', token, NOW)).toEqual({ ok: false, error: 'forged' });
  });

  it('are refused when the claims were changed', () => {
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ v: 1, room: 'room-1', peer: 'peer-1', exp: NOW / 1000 + 60, perm: 'avs', name: 'Ana' })).toString(
      'base64url',
    );
    expect(verifyResumeToken('secret', `${forged}.${signature}`, NOW)).toEqual({ ok: false, error: 'forged' });
  });

  it.each(['', 'abc', 'a.b.c', '.', 'x.'])('are refused when malformed: %j', (bad) => {
    const result = verifyResumeToken('secret', bad, NOW);
    expect(result.ok).toBe(false);
  });
});
