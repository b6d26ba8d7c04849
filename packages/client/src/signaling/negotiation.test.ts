import { PROTOCOL_MINOR, PROTOCOL_VERSION } from '@ponte/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePlatform, nthSocket, type FakeWebSocket } from '../../test/fakePlatform.js';
import type { PonteError } from '../errors/PonteError.js';
import { CLIENT_FEATURES, RoomConnection } from './RoomConnection.js';
import { SignalClient } from './SignalClient.js';

// The version and features handshake, as the SDK does it: it states its minor and features in
// `join`/`resume`, reads the server's from `joined`/`resumed` (a field it does not know is
// dropped, not an error), and uses only the features both have.

const identity = () => ({ room: 'standup', name: 'Ana', state: { audio: false, video: false, screen: false } });

/** A `joined` with `fields` over the ones every server sends. */
const joined = (fields: Record<string, unknown> = {}) => ({
  type: 'joined',
  version: PROTOCOL_VERSION,
  room: 'standup',
  self: 'peer-a',
  peers: [],
  iceServers: [],
  iceTransportPolicy: 'all',
  maxPeers: 8,
  resumeToken: 'resume-token',
  ...fields,
});

/** Sends raw JSON from the server, as `receive` would, but with fields the protocol's types do not have. */
const receiveRaw = (socket: FakeWebSocket, frame: object) => socket.onmessage?.({ data: JSON.stringify(frame) });

/** Opens a connection, answers its join with `answer`, and returns it with its socket. */
async function opened(answer: object) {
  const fake = fakePlatform();
  const client = new SignalClient('ws://signal.test/ws', { platform: fake.platform, reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
  const connection = new RoomConnection(client, identity);
  const errors: PonteError[] = [];
  connection.on('error', (error) => errors.push(error));
  const opening = connection.open();
  const socket = await nthSocket(fake);
  socket.open();
  const join = await socket.nextSent('join');
  receiveRaw(socket, answer);
  const frame = await opening;
  return { fake, connection, socket, join, frame, errors };
}

describe('RoomConnection version and features', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('states its major, minor and features in join', async () => {
    const { join, connection } = await opened(joined());
    expect(join).toMatchObject({ type: 'join', version: PROTOCOL_VERSION, minor: PROTOCOL_MINOR, features: [...CLIENT_FEATURES] });
    connection.close();
  });

  it('accepts a joined of a newer server with a field it does not know, and keeps only the features both have', async () => {
    const { frame, errors, connection } = await opened(
      joined({ minor: PROTOCOL_MINOR + 3, features: ['holo', 'resume'], layout: { kind: 'grid', pages: 3 } }),
    );
    expect(errors).toEqual([]);
    expect(frame.self).toBe('peer-a');
    expect(frame).not.toHaveProperty('topology');
    expect(connection.features).toEqual(['resume']);
    connection.close();
  });

  it('resumes after a lost connection when the server of minor 0 lists no features (it always took resume)', async () => {
    const { fake, socket, connection } = await opened(joined());
    expect(connection.features).toEqual(['resume']);
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(100);
    const second = await nthSocket(fake, 1);
    second.open();
    const resume = await second.nextSent('resume');
    expect(resume).toMatchObject({ version: PROTOCOL_VERSION, token: 'resume-token' });
    expect(resume).not.toHaveProperty('minor'); // that server is strict
    connection.close();
  });

  it('states its minor and features in resume to a server that stated its minor', async () => {
    const { fake, socket, connection } = await opened(joined({ minor: PROTOCOL_MINOR, features: ['resume'] }));
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(100);
    const second = await nthSocket(fake, 1);
    second.open();
    const resume = await second.nextSent('resume');
    expect(resume).toMatchObject({ version: PROTOCOL_VERSION, minor: PROTOCOL_MINOR, features: [...CLIENT_FEATURES], token: 'resume-token' });
    connection.close();
  });

  it('joins afresh after a lost connection when the server does not list resume', async () => {
    const { fake, socket, connection } = await opened(joined({ minor: PROTOCOL_MINOR, features: ['holo'] }));
    expect(connection.features).toEqual([]);
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(100);
    const second = await nthSocket(fake, 1);
    second.open();
    await second.nextSent('join');
    expect(second.sent.map((frame) => frame.type)).toEqual(['join']);
    connection.close();
  });
});

describe('RoomConnection with a server of minor 0', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('joins again as a client of minor 0 when the strict server refuses minor and features, and resumes as one', async () => {
    const fake = fakePlatform();
    const client = new SignalClient('ws://signal.test/ws', { platform: fake.platform, reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
    const connection = new RoomConnection(client, identity);
    const errors: PonteError[] = [];
    connection.on('error', (error) => errors.push(error));
    const opening = connection.open();
    const socket = await nthSocket(fake);
    socket.open();
    await socket.nextSent('join');
    // What a server of minor 0 answers: its frames are strict.
    receiveRaw(socket, { type: 'error', code: 'BAD_MESSAGE', message: 'invalid frame: unrecognized key: "minor"', ref: 'join' });
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.sent).toHaveLength(2);
    expect(socket.sent[1]).toEqual({ type: 'join', version: PROTOCOL_VERSION, room: 'standup', name: 'Ana', state: identity().state });
    receiveRaw(socket, joined());
    expect((await opening).self).toBe('peer-a');
    expect(errors).toEqual([]);

    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(100);
    const second = await nthSocket(fake, 1);
    second.open();
    const resume = await second.nextSent('resume');
    expect(resume).not.toHaveProperty('minor');
    expect(resume).not.toHaveProperty('features');
    connection.close();
  });

  it('does not ask again when a server that stated its minor refuses a join', async () => {
    const { fake, socket, connection } = await opened(joined({ minor: PROTOCOL_MINOR, features: [] }));
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(100);
    const second = await nthSocket(fake, 1);
    second.open();
    await second.nextSent('join');
    receiveRaw(second, { type: 'error', code: 'BAD_MESSAGE', message: 'invalid frame at name', ref: 'join' });
    await vi.advanceTimersByTimeAsync(0);
    expect(second.sent.map((frame) => frame.type)).toEqual(['join']);
    connection.close();
  });
});
