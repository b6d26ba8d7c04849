import { PROTOCOL_VERSION } from '@ponte/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { mintJoinToken } from '../src/admission/joinToken.js';
import { createServer } from '../src/index.js';
import { startHarness, type Harness } from './harness.js';
import type { TestClient } from './TestClient.js';

const SECRET = 'integration-secret-0123456789abcdef';
const AUTH = `Basic ${Buffer.from('admin:open sesame').toString('base64')}`;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function join(client: TestClient, room: string, extra: Record<string, unknown> = {}): void {
  client.send({ type: 'join', version: PROTOCOL_VERSION, room, name: 'Ana', ...extra });
}

describe('basic auth', () => {
  it('guards pages and the WebSocket, leaves /healthz open, and lets the right credentials in', async () => {
    h = await startHarness({ basicAuth: 'admin:open sesame' });
    const page = await fetch(`${h.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(page.headers.get('www-authenticate')).toMatch(/^Basic realm="Ponte"/);
    const wrong = await fetch(`${h.url}/`, { headers: { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    await expect(h.connect()).rejects.toThrow(/401/);
    const client = await h.connect({ headers: { authorization: AUTH } });
    expect((await client.join('room1')).room).toBe('room1');
  });
});

describe('origin allow-list', () => {
  it('admits same-origin and originless upgrades by default and refuses other origins with 403', async () => {
    h = await startHarness();
    const host = new URL(h.url).host;
    await h.connect({ origin: `http://${host}` });
    await h.connect();
    await expect(h.connect({ origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('admits only the configured origins', async () => {
    h = await startHarness({ allowedOrigins: ['https://app.example'] });
    await h.connect({ origin: 'https://app.example' });
    await expect(h.connect({ origin: `http://${new URL(h.url).host}` })).rejects.toThrow(/403/);
  });
});

describe('security headers', () => {
  it('sends a strict CSP and the other headers on every response', async () => {
    h = await startHarness();
    const response = await fetch(`${h.url}/healthz`);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
  });
});

describe('room passwords', () => {
  it('protects a room created with a password, answers each kind of failure, and delays repeated ones', async () => {
    h = await startHarness({ passwordFreeAttempts: 1, passwordDelayMs: 300 });
    const owner = await h.connect();
    join(owner, 'secret-room', { password: 'hunter2' });
    await owner.next('joined');

    const guest = await h.connect();
    join(guest, 'secret-room');
    expect(await guest.nextError()).toMatchObject({ code: 'PASSWORD_REQUIRED', ref: 'join' });
    join(guest, 'secret-room', { password: 'wrong' });
    expect(await guest.nextError()).toMatchObject({ code: 'WRONG_PASSWORD', ref: 'join' });

    // The second failure from this address waits; another connection meanwhile is not held up.
    const started = performance.now();
    join(guest, 'secret-room', { password: 'still wrong' });
    const bystander = await h.connect();
    expect((await bystander.join('open-room')).room).toBe('open-room');
    expect(performance.now() - started).toBeLessThan(250);
    expect(await guest.nextError()).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    join(guest, 'secret-room', { password: 'hunter2' });
    const joined = await guest.next('joined');
    expect(joined.peers).toHaveLength(1);
  });

  it('forgets the password with the room: a room lives as long as someone is in it', async () => {
    h = await startHarness();
    const owner = await h.connect();
    join(owner, 'r', { password: 'pw' });
    await owner.next('joined');
    owner.send({ type: 'leave' });
    await owner.barrier();
    const next = await h.connect();
    expect((await next.join('r')).room).toBe('r');
  });
});

describe('join tokens', () => {
  it('requires a token when configured, refuses bad ones, and uses the token name', async () => {
    h = await startHarness({ tokenSecret: SECRET, requireToken: true });
    const client = await h.connect();
    join(client, 'room1');
    expect(await client.nextError()).toMatchObject({ code: 'TOKEN_REQUIRED', ref: 'join' });
    join(client, 'room1', { token: await mintJoinToken({ room: 'room2', name: 'Ana' }, SECRET) });
    expect(await client.nextError()).toMatchObject({ code: 'TOKEN_INVALID' });
    join(client, 'room1', { token: await mintJoinToken({ room: 'room1', name: 'Ana' }, 'a-different-secret-0123456789') });
    expect(await client.nextError()).toMatchObject({ code: 'TOKEN_INVALID' });
    const other = await h.connect();
    join(other, 'room1', { token: await mintJoinToken({ room: 'room1', name: 'Bo' }, SECRET) });
    await other.next('joined');
    join(client, 'room1', { name: 'Mallory', token: await mintJoinToken({ room: 'room1', name: 'Ana Real' }, SECRET) });
    expect((await client.next('joined')).peers[0]?.name).toBe('Bo');
    expect(await other.next('peer-joined')).toMatchObject({ peer: { name: 'Ana Real' } });
  });

  it('enforces the permissions on join and update', async () => {
    h = await startHarness({ tokenSecret: SECRET });
    const token = await mintJoinToken({ room: 'room1', name: 'Ana', permissions: { publishVideo: false, shareScreen: false } }, SECRET);
    const client = await h.connect();
    join(client, 'room1', { token, state: { audio: true, video: true, screen: false } });
    expect(await client.nextError()).toMatchObject({ code: 'FORBIDDEN', ref: 'join' });
    join(client, 'room1', { token, state: { audio: true, video: false, screen: false } });
    await client.next('joined');
    client.send({ type: 'update', state: { screen: true } });
    expect(await client.nextError()).toMatchObject({ code: 'FORBIDDEN', ref: 'update' });
    // Without a token on a server that does not require one, everything is allowed.
    const free = await h.connect();
    join(free, 'room1', { state: { audio: true, video: true, screen: true } });
    await free.next('joined');
  });

  it('lets a token holder into a password-protected room without the password', async () => {
    h = await startHarness({ tokenSecret: SECRET });
    const owner = await h.connect();
    join(owner, 'r', { password: 'pw' });
    await owner.next('joined');
    const invited = await h.connect();
    join(invited, 'r', { token: await mintJoinToken({ room: 'r', name: 'Bo' }, SECRET) });
    await invited.next('joined');
  });
});

describe('limits', () => {
  it('answers frames over the rate limit with RATE_LIMITED and closes sustained abuse with 1008', async () => {
    h = await startHarness({ rateLimit: { framesPerSecond: 1, burst: 5, closeAfter: 10, closeWindowMs: 60_000 } });
    const client = await h.connect();
    for (let i = 0; i < 5; i += 1) client.send({ type: 'leave' });
    for (let i = 0; i < 5; i += 1) expect(await client.nextError()).toMatchObject({ code: 'NOT_IN_ROOM' });
    client.send({ type: 'leave' });
    expect(await client.nextError()).toMatchObject({ code: 'RATE_LIMITED' });
    for (let i = 0; i < 20; i += 1) client.send({ type: 'leave' });
    expect((await client.closed).code).toBe(1008);
    const limited = client.frames.filter((frame) => frame.type === 'error' && frame.code === 'RATE_LIMITED');
    // closeAfter frames are refused, the next one too, and then the socket is closed.
    expect(limited).toHaveLength(11);
    expect(client.frames.at(-1)).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('caps connections per IP address with HTTP 429', async () => {
    h = await startHarness({ maxConnectionsPerIp: 3 });
    const clients = [await h.connect(), await h.connect(), await h.connect()];
    await expect(h.connect()).rejects.toThrow(/429/);
    await clients[0]!.close();
    await expect
      .poll(
        async () =>
          await h!.connect().then(
            () => true,
            () => false,
          ),
      )
      .toBe(true);
  });

  it('caps rooms and peers per server with SERVER_FULL', async () => {
    h = await startHarness({ maxRooms: 2, maxPeers: 3 });
    await h.joined('a');
    await h.joined('b');
    const third = await h.connect();
    join(third, 'c');
    expect(await third.nextError()).toMatchObject({ code: 'SERVER_FULL', ref: 'join' });
    join(third, 'a');
    await third.next('joined');
    const fourth = await h.connect();
    join(fourth, 'b');
    expect(await fourth.nextError()).toMatchObject({ code: 'SERVER_FULL' });
  });
});

describe('metrics', () => {
  it('serves Prometheus metrics with connection, room, frame and relay series', async () => {
    h = await startHarness();
    const a = await h.joined('room1', 'Ana');
    const b = await h.joined('room1', 'Bo');
    a.client.send({ type: 'signal', to: b.id, data: { kind: 'description', description: { type: 'offer', sdp: 'v=0' } } });
    await b.client.waitFor((frame) => frame.type === 'signal');
    a.client.send('garbage');
    await a.client.waitFor((frame) => frame.type === 'error');
    const response = await fetch(`${h.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^ponte_connections 2$/m);
    expect(text).toMatch(/^ponte_rooms 1$/m);
    expect(text).toMatch(/^ponte_peers 2$/m);
    expect(text).toMatch(/^ponte_frames_in_total\{type="signal"\} 1$/m);
    expect(text).toMatch(/^ponte_frames_in_total\{type="invalid"\} 1$/m);
    expect(text).toMatch(/^ponte_frames_out_total\{type="signal"\} 1$/m);
    expect(text).toMatch(/^ponte_frames_out_total\{type="joined"\} 2$/m);
    expect(text).toMatch(/^ponte_errors_total\{code="BAD_MESSAGE"\} 1$/m);
    expect(text).toMatch(/^ponte_relay_latency_seconds_count 1$/m);
  });

  it('guards /metrics with the bearer token, or basic auth, and can serve it on its own port', async () => {
    h = await startHarness({ metrics: { token: 'scrape-me' }, basicAuth: 'admin:open sesame' });
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer scrape-me' } })).status).toBe(200);
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: AUTH } })).status).toBe(200);
  });

  it('serves /metrics on a separate port, and no longer on the main one', async () => {
    const server = createServer({ logger: false, metrics: { port: 0 }, basicAuth: 'admin:open sesame' });
    try {
      const { url, metricsPort } = await server.listen(0);
      expect(metricsPort).toBeGreaterThan(0);
      const separate = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(separate.status).toBe(200);
      expect(await separate.text()).toContain('ponte_connections 0');
      expect((await fetch(`${url}/metrics`, { headers: { authorization: AUTH } })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
