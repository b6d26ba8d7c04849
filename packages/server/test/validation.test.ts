import { LIMITS, PROTOCOL_VERSION } from '@ponte/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ maxPayload: 4096 });
});
afterEach(async () => {
  await h.stop();
});

const join = (extra: object = {}) => ({ type: 'join', version: PROTOCOL_VERSION, room: 'room1', name: 'Ana', ...extra });
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } };

describe('invalid frames before joining', () => {
  it.each<[string, string | object, string, string | undefined]>([
    ['invalid JSON', '{"type":"join",', 'BAD_MESSAGE', undefined],
    ['a JSON array', '[1,2]', 'BAD_MESSAGE', undefined],
    ['an unknown type', { type: 'explode' }, 'BAD_MESSAGE', 'explode'],
    ['a join with a wrongly typed version', join({ version: '1' }), 'BAD_MESSAGE', 'join'],
    ['a join with a numeric name', join({ name: 5 }), 'BAD_MESSAGE', 'join'],
    ['a join with a bad room id', join({ room: 'a/b' }), 'BAD_MESSAGE', 'join'],
    ['a join with a too long room id', join({ room: 'r'.repeat(LIMITS.roomIdLength + 1) }), 'BAD_MESSAGE', 'join'],
    ['a join with a blank name', join({ name: ' \t ' }), 'BAD_MESSAGE', 'join'],
    [
      'a join with an extra field inside its state',
      join({ state: { audio: true, video: false, screen: false, admin: true } }),
      'BAD_MESSAGE',
      'join',
    ],
    ['a join with an invalid feature name', join({ features: ['Not A Name'] }), 'BAD_MESSAGE', 'join'],
    ['a join with too many features', join({ features: Array.from({ length: LIMITS.featureCount + 1 }, (_, i) => `f${i}`) }), 'BAD_MESSAGE', 'join'],
    ['a join with a negative minor', join({ minor: -1 }), 'BAD_MESSAGE', 'join'],
    ['a join with an unsupported version', join({ version: PROTOCOL_VERSION + 1 }), 'UNSUPPORTED_VERSION', 'join'],
    ['a join of another major, whatever its minor', join({ version: PROTOCOL_VERSION + 1, minor: 0, features: [] }), 'UNSUPPORTED_VERSION', 'join'],
    ['a signal before joining', { type: 'signal', to: 'someone', data: offer }, 'NOT_IN_ROOM', 'signal'],
    ['an update before joining', { type: 'update', state: { audio: true } }, 'NOT_IN_ROOM', 'update'],
    ['a leave before joining', { type: 'leave' }, 'NOT_IN_ROOM', 'leave'],
  ])('answers %s with %s and stays usable', async (_label, frame, code, ref) => {
    const client = await h.connect();
    client.send(frame);
    const error = await client.nextError();
    expect(error.code).toBe(code);
    expect(error.ref).toBe(ref);
    expect(error.message.length).toBeGreaterThan(0);
    const joined = await client.join('room1');
    expect(joined.room).toBe('room1');
  });

  it('says where a frame is wrong', async () => {
    const client = await h.connect();
    client.send(join({ name: 5 }));
    expect((await client.nextError()).message).toContain('name');
  });

  it('answers a binary frame with BAD_MESSAGE and stays usable', async () => {
    const client = await h.connect();
    client.ws.send(Buffer.from(JSON.stringify(join())), { binary: true });
    expect(await client.nextError()).toMatchObject({ code: 'BAD_MESSAGE' });
    expect((await client.join('room1')).peers).toEqual([]);
  });
});

describe('invalid frames after joining', () => {
  it.each<[string, object, string]>([
    ['a second join', join({ room: 'other' }), 'ALREADY_JOINED'],
    ['an update with a wrongly typed state', { type: 'update', state: { audio: 'yes' } }, 'BAD_MESSAGE'],
    ['an update with a blank name', { type: 'update', name: '   ' }, 'BAD_MESSAGE'],
    [
      'a signal with a rollback',
      { type: 'signal', to: 'x', data: { kind: 'description', description: { type: 'rollback', sdp: '' } } },
      'BAD_MESSAGE',
    ],
    ['a signal that forges its from', { type: 'signal', to: 'x', from: 'y', data: offer }, 'BAD_MESSAGE'],
  ])('answers %s with %s, and the peer stays in its room', async (_label, frame, code) => {
    const a = await h.joined('room1', 'Ana');
    const b = await h.joined('room1', 'Bo');
    await a.client.next('peer-joined');
    a.client.send(frame);
    expect(await a.client.nextError()).toMatchObject({ code, ref: (frame as { type: string }).type });
    a.client.send({ type: 'signal', to: b.id, data: offer });
    expect(await b.client.next('signal')).toEqual({ type: 'signal', from: a.id, data: offer });
    expect(b.client.unread).toEqual([]);
  });

  it('keeps replies in request order when a double join races', async () => {
    const client = await h.connect();
    client.send(join());
    client.send(join({ room: 'other' }));
    await client.next('joined');
    expect(await client.nextError()).toMatchObject({ code: 'ALREADY_JOINED', ref: 'join' });
  });
});

describe('oversized frames', () => {
  it('closes the socket with 1009 and leaves other clients alone', async () => {
    const a = await h.joined('room1', 'Ana');
    const b = await h.joined('room1', 'Bo');
    await a.client.next('peer-joined');
    b.client.send({ type: 'signal', to: a.id, data: { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(5000) } } });
    expect((await b.client.closed).code).toBe(1009);
    expect(await a.client.next('peer-left')).toEqual({ type: 'peer-left', peer: b.id, reason: 'disconnected' });
    const c = await h.joined('room1', 'Cy');
    expect(await a.client.next('peer-joined')).toMatchObject({ peer: { id: c.id } });
    c.client.send({ type: 'signal', to: a.id, data: offer });
    expect(await a.client.next('signal')).toEqual({ type: 'signal', from: c.id, data: offer });
  });
});
