import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientIp, constantTimeEqual, hasBasicCredentials, hasBearerToken, isOriginAllowed } from '../http/httpAccess.js';
import { forbiddenMedia, mintJoinToken, verifyJoinToken, ALL_PERMISSIONS } from './joinToken.js';
import { PasswordThrottle } from './PasswordThrottle.js';
import { MemoryPasswordFailures } from './PasswordFailures.js';
import { describePasswordFailuresContract } from './passwordFailures.contract.js';
import { hashRoomPassword, verifyRoomPassword } from './roomPassword.js';
import { resolveSecurityOptions } from '../config/securityOptions.js';
import { securityFromEnv } from '../config/securityConfig.js';
import { TokenBucket } from './TokenBucket.js';
import type { IncomingMessage } from 'node:http';

const SECRET = 'a-test-secret-of-32-characters!!';
const key = new TextEncoder().encode(SECRET);

describe('join tokens', () => {
  it('accepts a valid token and reads room, name and permissions', async () => {
    const token = await mintJoinToken({ room: 'standup', name: '  Ana  ', permissions: { publishVideo: false } }, SECRET, '5m');
    const result = await verifyJoinToken(token, key, 'standup');
    expect(result).toMatchObject({
      ok: true,
      token: { room: 'standup', name: 'Ana', permissions: { publishAudio: true, publishVideo: false, shareScreen: true } },
    });
  });

  it('refuses an expired token', async () => {
    const token = await new SignJWT({ room: 'standup', name: 'Ana' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    expect(await verifyJoinToken(token, key, 'standup')).toEqual({ ok: false, reason: 'the join token has expired' });
  });

  it('refuses a token for another room', async () => {
    const token = await mintJoinToken({ room: 'standup', name: 'Ana' }, SECRET);
    expect(await verifyJoinToken(token, key, 'other')).toEqual({ ok: false, reason: 'the join token is for another room' });
  });

  it('refuses a forged signature, a wrong secret and an unsigned token', async () => {
    const token = await mintJoinToken({ room: 'standup', name: 'Ana' }, SECRET);
    const [header, payload] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ room: 'standup', name: 'Mallory', exp: 9_999_999_999 })).toString('base64url');
    const forged = `${header}.${forgedPayload}.${token.split('.')[2]}`;
    expect((await verifyJoinToken(forged, key, 'standup')).ok).toBe(false);
    const otherSecret = await mintJoinToken({ room: 'standup', name: 'Ana' }, 'another-secret-of-32-characters!');
    expect(await verifyJoinToken(otherSecret, key, 'standup')).toEqual({ ok: false, reason: 'the join token signature is not valid' });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await verifyJoinToken(none, key, 'standup')).ok).toBe(false);
    expect((await verifyJoinToken('not-a-jwt', key, 'standup')).ok).toBe(false);
  });

  it('refuses a token that misses a claim or has a wrongly typed one', async () => {
    const sign = (payload: Record<string, unknown>, exp = true): Promise<string> => {
      const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' });
      if (exp) jwt.setExpirationTime('5m');
      return jwt.sign(key);
    };
    expect((await verifyJoinToken(await sign({ room: 'standup', name: 'Ana' }, false), key, 'standup')).ok).toBe(false);
    expect(await verifyJoinToken(await sign({ name: 'Ana' }), key, 'standup')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('"room"'),
    });
    expect(await verifyJoinToken(await sign({ room: 'standup' }), key, 'standup')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('"name"'),
    });
    expect(await verifyJoinToken(await sign({ room: 'standup', name: 'A\u202eB' }), key, 'standup')).toMatchObject({ ok: false });
    expect(await verifyJoinToken(await sign({ room: 'standup', name: 'Ana', permissions: { publishVideo: 'no' } }), key, 'standup')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('permissions'),
    });
  });

  it('says which media a state asks for without permission', () => {
    const noVideo = { ...ALL_PERMISSIONS, publishVideo: false };
    expect(forbiddenMedia({ audio: true, video: false, screen: false }, noVideo)).toBeUndefined();
    expect(forbiddenMedia({ video: true }, noVideo)).toBe('video');
    expect(forbiddenMedia({ screen: true }, { ...ALL_PERMISSIONS, shareScreen: false })).toBe('screen');
    expect(forbiddenMedia(undefined, noVideo)).toBeUndefined();
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    for (let i = 0; i < 5; i += 1) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 100; // one token at 10/s
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 10_000; // refills only up to the burst
    let taken = 0;
    while (bucket.take()) taken += 1;
    expect(taken).toBe(5);
  });
});

describe('PasswordThrottle', () => {
  it('delays after the free attempts, doubling up to the cap, per address and room', async () => {
    let now = 0;
    const throttle = new PasswordThrottle({
      freeAttempts: 2,
      delayMs: 1000,
      maxDelayMs: 4000,
      failures: new MemoryPasswordFailures({ now: () => now }),
    });
    const delays: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      delays.push(await throttle.delayFor('1.2.3.4', 'r'));
      await throttle.fail('1.2.3.4', 'r');
    }
    expect(delays).toEqual([0, 0, 1000, 2000, 4000, 4000]);
    expect(await throttle.delayFor('5.6.7.8', 'r')).toBe(0);
    expect(await throttle.delayFor('1.2.3.4', 'other')).toBe(0);
    await throttle.succeed('1.2.3.4', 'r');
    expect(await throttle.delayFor('1.2.3.4', 'r')).toBe(0);
    await throttle.fail('1.2.3.4', 'r');
    await throttle.fail('1.2.3.4', 'r');
    now += 16 * 60_000;
    expect(await throttle.delayFor('1.2.3.4', 'r')).toBe(0);
  });

  it('remembers a bounded number of pairs', async () => {
    const failures = new MemoryPasswordFailures({ maxEntries: 100 });
    const throttle = new PasswordThrottle({ freeAttempts: 0, delayMs: 1, maxDelayMs: 1, failures });
    for (let i = 0; i < 1000; i += 1) await throttle.fail(`10.0.${i >> 8}.${i & 255}`, 'r');
    expect(failures.size).toBe(100);
  });
});

describePasswordFailuresContract('memory', (now) => [new MemoryPasswordFailures({ now, forgetAfterMs: 60_000 })]);

describe('room passwords', () => {
  it('hashes with a salt and verifies only the right password', async () => {
    const one = await hashRoomPassword('correct horse');
    const two = await hashRoomPassword('correct horse');
    expect(one).not.toBe(two);
    expect(one).not.toContain('correct');
    expect(await verifyRoomPassword('correct horse', one)).toBe(true);
    expect(await verifyRoomPassword('correct hors', one)).toBe(false);
    expect(await verifyRoomPassword('x', 'garbage')).toBe(false);
  });
});

describe('HTTP access checks', () => {
  const creds = { user: 'admin', password: 's3cret:with:colons' };
  const basic = (value: string): string => `Basic ${Buffer.from(value).toString('base64')}`;

  it('checks basic credentials', () => {
    expect(hasBasicCredentials(basic('admin:s3cret:with:colons'), creds)).toBe(true);
    expect(hasBasicCredentials(basic('admin:wrong'), creds)).toBe(false);
    expect(hasBasicCredentials(basic('root:s3cret:with:colons'), creds)).toBe(false);
    expect(hasBasicCredentials(undefined, creds)).toBe(false);
    expect(hasBasicCredentials('Bearer x', creds)).toBe(false);
    expect(constantTimeEqual('a', 'a')).toBe(true);
    expect(constantTimeEqual('a', 'ab')).toBe(false);
    expect(hasBearerToken('Bearer tok', 'tok')).toBe(true);
    expect(hasBearerToken('Bearer tok2', 'tok')).toBe(false);
  });

  it('allows same-origin, listed and missing origins only', () => {
    expect(isOriginAllowed({ host: 'meet.example.org', origin: 'https://meet.example.org' }, undefined)).toBe(true);
    expect(isOriginAllowed({ host: 'meet.example.org', origin: 'https://evil.example' }, undefined)).toBe(false);
    expect(isOriginAllowed({ host: 'meet.example.org', origin: 'null' }, undefined)).toBe(false);
    expect(isOriginAllowed({ host: 'meet.example.org' }, undefined)).toBe(true);
    expect(isOriginAllowed({ host: 'x', origin: 'https://app.example' }, ['https://app.example'])).toBe(true);
    expect(isOriginAllowed({ host: 'x', origin: 'https://x' }, ['https://app.example'])).toBe(false);
    expect(isOriginAllowed({ host: 'x', origin: 'https://any' }, '*')).toBe(true);
  });

  it('reads the client address from the socket, or the last proxy hop when trusted', () => {
    const request = { headers: { 'x-forwarded-for': '6.6.6.6, 10.0.0.9' }, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
    expect(clientIp(request, false)).toBe('127.0.0.1');
    expect(clientIp(request, true)).toBe('10.0.0.9');
  });
});

describe('security options', () => {
  it('applies the documented defaults', () => {
    expect(resolveSecurityOptions({})).toMatchObject({
      basicAuth: undefined,
      requireToken: false,
      rateLimit: { framesPerSecond: 50, burst: 200, closeAfter: 100, closeWindowMs: 10_000 },
      maxConnectionsPerIp: 20,
      maxRooms: 1000,
      maxPeers: 5000,
      metrics: { enabled: true, token: undefined, port: undefined },
    });
  });

  it('refuses inconsistent settings', () => {
    expect(() => resolveSecurityOptions({ requireToken: true })).toThrow(RangeError);
    expect(() => resolveSecurityOptions({ tokenSecret: 'short' })).toThrow(RangeError);
    expect(() => resolveSecurityOptions({ basicAuth: 'nocolon' })).toThrow(RangeError);
    expect(() => resolveSecurityOptions({ maxConnectionsPerIp: 0 })).toThrow(RangeError);
  });

  it('reads the environment', () => {
    expect(securityFromEnv({})).toEqual({});
    expect(
      securityFromEnv({
        BASIC_AUTH: 'u:p',
        PONTE_ALLOWED_ORIGINS: 'https://a.example, https://b.example/',
        PONTE_TOKEN_SECRET: SECRET,
        PONTE_REQUIRE_TOKEN: 'true',
        PONTE_RATE_LIMIT: '20',
        PONTE_RATE_BURST: '40',
        PONTE_MAX_CONNECTIONS_PER_IP: '5',
        PONTE_MAX_ROOMS: '10',
        PONTE_MAX_SERVER_PEERS: '50',
        PONTE_TRUST_PROXY: '1',
        PONTE_METRICS_TOKEN: 'm',
        PONTE_METRICS_PORT: '9100',
      }),
    ).toEqual({
      basicAuth: 'u:p',
      allowedOrigins: ['https://a.example', 'https://b.example'],
      tokenSecret: SECRET,
      requireToken: true,
      rateLimit: { framesPerSecond: 20, burst: 40 },
      maxConnectionsPerIp: 5,
      maxRooms: 10,
      maxPeers: 50,
      trustProxy: true,
      metrics: { token: 'm', port: 9100 },
    });
    expect(securityFromEnv({ PONTE_RATE_LIMIT: '0' })).toEqual({ rateLimit: false });
    expect(() => securityFromEnv({ PONTE_REQUIRE_TOKEN: 'true' })).toThrow(/PONTE_TOKEN_SECRET/);
    expect(() => securityFromEnv({ BASIC_AUTH: 'nopassword' })).toThrow(/BASIC_AUTH/);
    expect(() => securityFromEnv({ PONTE_MAX_ROOMS: 'lots' })).toThrow(/PONTE_MAX_ROOMS/);
  });
});
