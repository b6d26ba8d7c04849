import { PROTOCOL_VERSION } from '@ponte/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { mintJoinToken } from '../src/admission/joinToken.js';
import { mintResumeToken } from '../src/credentials/resumeToken.js';
import { startHarness, type Harness } from './harness.js';
import type { TestClient } from './TestClient.js';

const STATE = { audio: true, video: true, screen: false };
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } as const;
let harnesses: Harness[] = [];

async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness({ secret: 'test-secret', ...options });
  harnesses.push(h);
  return h;
}

function resume(client: TestClient, token: string, name: string, received = 0): void {
  client.send({ type: 'resume', version: PROTOCOL_VERSION, token, name, state: STATE, received });
}

/** Drops a client's TCP connection with no close handshake, as a network failure does. */
async function breakConnection(client: TestClient): Promise<void> {
  client.ws.terminate();
  await client.closed;
}

afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.stop()));
  harnesses = [];
});

describe('resume', () => {
  it('brings a peer whose socket broke back with the same id; the room never sees it leave; signals wait for it', async () => {
    const h = await harness();
    const ana = await h.joined('room1', 'Ana');
    const bo = await h.joined('room1', 'Bo');
    await ana.client.next('peer-joined');
    await breakConnection(bo.client);
    // Sent while Bo is away: held for him instead of refused.
    ana.client.send({ type: 'signal', to: bo.joined.self, data: offer });
    await ana.client.barrier();
    const back = await h.connect();
    resume(back, bo.joined.resumeToken, 'Bo');
    const resumed = await back.next('resumed');
    expect(resumed).toMatchObject({ self: bo.joined.self, room: 'room1', lapsed: false, peers: [{ id: ana.joined.self }] });
    expect(await back.next('signal')).toEqual({ type: 'signal', from: ana.joined.self, data: offer });
    await ana.client.barrier();
    expect(ana.client.unread.filter((frame) => frame.type === 'peer-left' || frame.type === 'error')).toEqual([]);
    // Signaling works both ways again.
    back.send({ type: 'signal', to: ana.joined.self, data: offer });
    expect(await ana.client.waitFor((frame) => frame.type === 'signal')).toEqual({ type: 'signal', from: bo.joined.self, data: offer });
  });

  it('replays exactly the frames the peer had not received', async () => {
    const h = await harness();
    const ana = await h.joined('room1', 'Ana');
    const bo = await h.joined('room1', 'Bo');
    await ana.client.next('peer-joined');
    const first = { kind: 'candidates', candidates: [{ candidate: 'first' }] } as const;
    const second = { kind: 'candidates', candidates: [{ candidate: 'second' }] } as const;
    ana.client.send({ type: 'signal', to: bo.joined.self, data: first });
    expect(await bo.client.next('signal')).toMatchObject({ data: first });
    await breakConnection(bo.client);
    ana.client.send({ type: 'signal', to: bo.joined.self, data: second });
    await ana.client.barrier();
    const back = await h.connect();
    resume(back, bo.joined.resumeToken, 'Bo', 1);
    expect(await back.next('resumed')).toMatchObject({ replayFrom: 1 });
    expect(await back.next('signal')).toMatchObject({ data: second });
    await back.barrier();
    expect(back.unread).toEqual([]);
  });

  it('lets the room know after the grace period, and tells a late resume that it lapsed', async () => {
    const h = await harness({ reconnectGraceMs: 200 });
    const ana = await h.joined('room1', 'Ana');
    const bo = await h.joined('room1', 'Bo');
    await ana.client.next('peer-joined');
    await breakConnection(bo.client);
    expect(await ana.client.next('peer-left')).toEqual({ type: 'peer-left', peer: bo.joined.self, reason: 'disconnected' });
    const back = await h.connect();
    resume(back, bo.joined.resumeToken, 'Bo');
    expect(await back.next('resumed')).toMatchObject({ self: bo.joined.self, lapsed: true });
    expect(await ana.client.next('peer-joined')).toMatchObject({ peer: { id: bo.joined.self, name: 'Bo' } });
  });

  it('survives a server restart that lost all state when the secret is shared', async () => {
    const first = await harness();
    const ana = await first.joined('room1', 'Ana');
    const bo = await first.joined('room1', 'Bo');
    await first.stop();
    harnesses = harnesses.filter((h) => h !== first);
    const second = await harness();
    const anaBack = await second.connect();
    resume(anaBack, ana.joined.resumeToken, 'Ana');
    expect(await anaBack.next('resumed')).toMatchObject({ self: ana.joined.self, lapsed: false, peers: [] });
    const boBack = await second.connect();
    resume(boBack, bo.joined.resumeToken, 'Bo');
    expect(await boBack.next('resumed')).toMatchObject({ self: bo.joined.self, peers: [{ id: ana.joined.self, name: 'Ana' }] });
    expect(await anaBack.next('peer-joined')).toMatchObject({ peer: { id: bo.joined.self } });
    // A newcomer sees both, under their old ids.
    const cy = await second.joined('room1', 'Cy');
    expect(cy.joined.peers.map((peer) => peer.id).sort()).toEqual([ana.joined.self, bo.joined.self].sort());
  });

  it('supersedes an older connection of the same peer without telling the room', async () => {
    const h = await harness();
    const ana = await h.joined('room1', 'Ana');
    const bo = await h.joined('room1', 'Bo');
    await ana.client.next('peer-joined');
    const second = await h.connect();
    resume(second, bo.joined.resumeToken, 'Bo');
    await second.next('resumed');
    expect((await bo.client.closed).code).toBe(4000);
    await ana.client.barrier();
    expect(ana.client.unread.filter((frame) => frame.type === 'peer-left')).toEqual([]);
    ana.client.send({ type: 'signal', to: bo.joined.self, data: offer });
    expect(await second.next('signal')).toMatchObject({ from: ana.joined.self });
  });

  it.each([
    ['forged', () => mintResumeToken('another-secret', 'room1', 'someone', 60)],
    ['expired', () => mintResumeToken('test-secret', 'room1', 'someone', -1)],
    ['malformed', () => 'not-a-token'],
  ])('refuses a %s token with RESUME_FAILED and keeps the connection usable', async (_kind, token) => {
    const h = await harness();
    const client = await h.connect();
    resume(client, token(), 'Eve');
    expect(await client.nextError()).toMatchObject({ code: 'RESUME_FAILED', ref: 'resume' });
    expect((await client.join('room1', 'Eve')).type).toBe('joined');
  });
});

describe('resume keeps what the join granted', () => {
  const TOKEN_SECRET = 'join-token-secret-0123456789';

  it('refuses to resume with media the join token forbids, and keeps the token name', async () => {
    const h = await harness({ tokenSecret: TOKEN_SECRET });
    const token = await mintJoinToken(
      { room: 'room1', name: 'Guest', permissions: { publishAudio: true, publishVideo: false, shareScreen: false } },
      TOKEN_SECRET,
    );
    const guest = await h.connect();
    guest.send({
      type: 'join',
      version: PROTOCOL_VERSION,
      room: 'room1',
      name: 'ignored',
      token,
      state: { audio: true, video: false, screen: false },
    });
    const joined = await guest.next('joined');
    await breakConnection(guest);

    const sneaky = await h.connect();
    resume(sneaky, joined.resumeToken, 'Someone Else'); // STATE turns video on
    expect(await sneaky.nextError()).toMatchObject({ code: 'FORBIDDEN', ref: 'resume' });

    const honest = await h.connect();
    honest.send({
      type: 'resume',
      version: PROTOCOL_VERSION,
      token: joined.resumeToken,
      name: 'Someone Else',
      state: { audio: true, video: false, screen: false },
      received: 0,
    });
    await honest.next('resumed');
    const other = await h.joined('room1', 'Bo');
    expect(other.joined.peers).toEqual([{ id: joined.self, name: 'Guest', state: { audio: true, video: false, screen: false } }]);
  });

  it('keeps the password of a room that a resume re-creates after a restart', async () => {
    const first = await harness();
    const owner = await first.connect();
    owner.send({ type: 'join', version: PROTOCOL_VERSION, room: 'locked', name: 'Ana', password: 'open sesame' });
    const joined = await owner.next('joined');
    await first.stop();
    harnesses = harnesses.filter((h) => h !== first);

    const second = await harness();
    const back = await second.connect();
    resume(back, joined.resumeToken, 'Ana');
    await back.next('resumed');
    const stranger = await second.connect();
    stranger.send({ type: 'join', version: PROTOCOL_VERSION, room: 'locked', name: 'Eve' });
    expect(await stranger.nextError()).toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });
});

describe('credentials', () => {
  it('hands each peer its own TURN credential and refreshes it with a new resume token', async () => {
    const h = await harness({
      iceServers: [{ urls: 'stun:stun.example.org' }],
      turn: { urls: ['turn:127.0.0.1:3478'], secret: 'turn-secret', ttlSeconds: 1 },
    });
    const { client, joined } = await h.joined('room1', 'Ana');
    expect(joined.iceServers[0]).toEqual({ urls: 'stun:stun.example.org' });
    expect(joined.iceServers[1]).toMatchObject({
      urls: ['turn:127.0.0.1:3478'],
      username: expect.stringMatching(new RegExp(`^\\d+:${joined.self}$`)),
    });
    const refresh = await client.next('refresh');
    expect(refresh.iceServers[1]).toMatchObject({ username: expect.stringContaining(joined.self) });
    expect(refresh.resumeToken).toEqual(expect.any(String));
  });

  it('marks relay-only rooms', async () => {
    const h = await harness({ relayOnlyRooms: ['private'] });
    expect((await h.joined('private', 'Ana')).joined.iceTransportPolicy).toBe('relay');
    expect((await h.joined('open', 'Bo')).joined.iceTransportPolicy).toBe('all');
  });
});
