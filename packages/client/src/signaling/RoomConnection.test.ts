import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePlatform, nthSocket } from '../../test/fakePlatform.js';
import { PonteError } from '../errors/PonteError.js';
import { RoomConnection } from './RoomConnection.js';
import { SignalClient } from './SignalClient.js';

const identity = () => ({ room: 'standup', name: 'Ana', state: { audio: false, video: false, screen: false } });

describe('RoomConnection answer timeout', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('rejects the join with TIMEOUT when the server does not answer within answerTimeoutMs', async () => {
    const fake = fakePlatform();
    const connection = new RoomConnection(new SignalClient('ws://signal.test/ws', { platform: fake.platform }), identity, { answerTimeoutMs: 3_000 });
    let outcome: unknown = 'pending';
    connection.open().catch((error: unknown) => (outcome = error));
    const socket = await nthSocket(fake);
    socket.open();
    await socket.nextSent('join');
    await vi.advanceTimersByTimeAsync(2_999);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(PonteError);
    expect(outcome).toMatchObject({ code: 'TIMEOUT', reason: 'join' });
    connection.close();
  });

  it('ends the connection with TIMEOUT when a resume goes unanswered (10 s by default)', async () => {
    const fake = fakePlatform();
    const client = new SignalClient('ws://signal.test/ws', { platform: fake.platform, reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
    const connection = new RoomConnection(client, identity);
    const errors: PonteError[] = [];
    connection.on('error', (error) => errors.push(error));
    const closed: unknown[] = [];
    connection.on('closed', (event) => closed.push(event));
    const opening = connection.open();
    const first = await nthSocket(fake);
    first.open();
    await first.nextSent('join');
    first.receive({
      type: 'joined',
      version: 1,
      room: 'standup',
      self: 'peer-a',
      peers: [],
      iceServers: [],
      iceTransportPolicy: 'all',
      maxPeers: 8,
      resumeToken: 'resume-token',
    });
    await opening;

    first.drop(1006);
    await vi.advanceTimersByTimeAsync(100);
    const second = await nthSocket(fake, 1);
    second.open();
    await second.nextSent('resume');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors.map((error) => [error.code, error.reason])).toEqual([['TIMEOUT', 'resume']]);
    expect(second.closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(1); // the socket's close event
    expect(closed).toEqual([{ error: null }]);
  });
});

describe('RoomConnection after a server restart', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reconnects and resumes, as the same peer, after a 1012 close (a draining server)', async () => {
    const fake = fakePlatform();
    const client = new SignalClient('ws://signal.test/ws', { platform: fake.platform, reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
    const connection = new RoomConnection(client, identity);
    const restored: string[] = [];
    connection.on('restored', (event) => restored.push(`${event.kind} ${event.frame.self}`));
    const closed: unknown[] = [];
    connection.on('closed', (event) => closed.push(event));
    const opening = connection.open();
    const first = await nthSocket(fake);
    first.open();
    await first.nextSent('join');
    const answer = { version: 1, room: 'standup', self: 'peer-a', peers: [], iceServers: [], iceTransportPolicy: 'all' as const, maxPeers: 8 };
    first.receive({ type: 'joined', minor: 2, features: ['resume'], resumeToken: 'resume-token', ...answer });
    await opening;

    first.drop(1012, 'server restarting; reconnect');
    await vi.advanceTimersByTimeAsync(100);
    const second = await nthSocket(fake, 1);
    second.open();
    expect(await second.nextSent('resume')).toMatchObject({ token: 'resume-token', received: 0 });
    second.receive({ type: 'resumed', minor: 2, features: ['resume'], resumeToken: 'next-token', lapsed: false, replayFrom: 0, ...answer });
    await vi.advanceTimersByTimeAsync(0);
    expect(restored).toEqual(['resumed peer-a']);
    expect(closed).toEqual([]);
    connection.close();
  });

  it('tries again later, with backoff, when a resume is refused with UNAVAILABLE, and resumes once the server can serve it', async () => {
    const fake = fakePlatform();
    const client = new SignalClient('ws://signal.test/ws', { platform: fake.platform, reconnect: { initialDelayMs: 100, maxDelayMs: 400 } });
    const connection = new RoomConnection(client, identity);
    const restored: string[] = [];
    connection.on('restored', (event) => restored.push(`${event.kind} ${event.frame.self}`));
    const delays: number[] = [];
    connection.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
    const ended: unknown[] = [];
    connection.on('closed', (event) => ended.push(event));
    connection.on('error', (error) => ended.push(error));
    const opening = connection.open();
    const first = await nthSocket(fake);
    first.open();
    await first.nextSent('join');
    const answer = { version: 1, room: 'standup', self: 'peer-a', peers: [], iceServers: [], iceTransportPolicy: 'all' as const, maxPeers: 8 };
    first.receive({ type: 'joined', minor: 2, features: ['resume'], resumeToken: 'resume-token', ...answer });
    await opening;

    first.drop(1006);
    await vi.advanceTimersByTimeAsync(400);
    const second = await nthSocket(fake, 1);
    second.open();
    await second.nextSent('resume');
    second.receive({ type: 'error', code: 'UNAVAILABLE', message: 'this server cannot reach its rooms right now', ref: 'resume' });
    await vi.advanceTimersByTimeAsync(0);
    expect(second.closedWith).toBe(1000);
    expect(ended).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    const third = await nthSocket(fake, 2);
    third.open();
    expect(await third.nextSent('resume')).toMatchObject({ token: 'resume-token' });
    third.receive({ type: 'resumed', minor: 2, features: ['resume'], resumeToken: 'next-token', lapsed: false, replayFrom: 0, ...answer });
    await vi.advanceTimersByTimeAsync(0);
    expect(restored).toEqual(['resumed peer-a']);
    expect(ended).toEqual([]);
    // The second wait grew from the first: the refused socket did not reset the backoff.
    expect(delays).toHaveLength(2);
    expect(delays[1]).toBeGreaterThanOrEqual(delays[0]!);
    connection.close();
  });
});
