import { describe, expect, it } from 'vitest';
import { fakeConnectionPair, linkOf, next, type FakeConnection } from '../../test/fakeConnection.js';
import { EncodedMessage, PeerData, type PeerMessage } from './PeerData.js';
import type { PonteError } from '../errors/PonteError.js';

function dataPair(options = {}): { a: PeerData; b: PeerData; connA: FakeConnection; connB: FakeConnection } {
  const [connA, connB] = fakeConnectionPair();
  const a = new PeerData(linkOf(connA), 'peer-b', options);
  const b = new PeerData(linkOf(connB), 'peer-a', options);
  return { a, b, connA, connB };
}

/** The unreliable channel opens one task after the reliable one in the fake. */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function collect(data: PeerData, count: number): Promise<PeerMessage[]> {
  const messages: PeerMessage[] = [];
  return new Promise((resolve) => {
    data.on('message', (message) => {
      messages.push(message);
      if (messages.length === count) resolve(messages);
    });
  });
}

describe('PeerData messages', () => {
  it('carries JSON and bytes both ways, in order, including what was sent before the channel opened', async () => {
    const { a, b } = dataPair();
    const atB = collect(b, 3);
    a.send({ hello: 'world', n: [1, 2, null] });
    a.send(new Uint8Array([1, 2, 3]));
    a.send('plain text');
    expect(a.open).toBe(false);
    const messages = await atB;
    expect(messages[0]).toEqual({ data: { hello: 'world', n: [1, 2, null] }, reliable: true });
    expect(new Uint8Array(messages[1]?.data as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(messages[2]?.data).toBe('plain text');

    const atA = next<PeerMessage>(a, 'message');
    b.send(42);
    expect((await atA).data).toBe(42);
  });

  it('sends on the unreliable channel when asked, and drops such messages before it opens', async () => {
    const { a, b, connA } = dataPair();
    a.send({ dropped: true }, { reliable: false });
    await next(a, 'open');
    await tick();
    const atB = next<PeerMessage>(b, 'message');
    a.send({ x: 1 }, { reliable: false });
    expect(await atB).toEqual({ data: { x: 1 }, reliable: false });
    expect(connA.channels.get('ponte-unreliable')?.sent).toHaveLength(1);
    expect(connA.channels.get('ponte-unreliable')?.ordered).toBe(false);
  });

  it('refuses messages that are too large or not JSON, without sending anything', () => {
    const { a } = dataPair({ maxMessageSize: 100 });
    expect(() => a.send('x'.repeat(200))).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
    expect(() => a.send(new Uint8Array(101))).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
    // 30 characters, but 90 bytes of UTF-8 plus the envelope.
    expect(() => a.send('€'.repeat(30))).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
    expect(() => a.send('e'.repeat(30))).not.toThrow();
    expect(() => a.send(undefined as never)).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE' }));
    expect(() => a.send({ big: 1n } as never)).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE' }));
  });

  it('sends one encoded message to several links, serialized once', async () => {
    const one = dataPair();
    const two = dataPair();
    const received = Promise.all([next<PeerMessage>(one.b, 'message'), next<PeerMessage>(two.b, 'message')]);
    const message = new EncodedMessage({ to: 'everyone' });
    one.a.sendEncoded(message);
    two.a.sendEncoded(message);
    expect((await received).map((m) => m.data)).toEqual([{ to: 'everyone' }, { to: 'everyone' }]);
    expect(() => new EncodedMessage(undefined as never)).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE' }));
  });

  it('bounds what waits for the channel to open', () => {
    // '{"t":"msg","data":"1234"}' is 25 bytes.
    const { a } = dataPair({ maxQueuedBytes: 40 });
    a.send('1234');
    expect(() => a.send('12345678')).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});

describe('PeerData with a misbehaving peer', () => {
  const bad = [
    ['not JSON', '{nope'],
    ['an unknown frame type', '{"t":"boom"}'],
    ['extra fields', '{"t":"msg","data":1,"extra":true}'],
    ['a malformed offer', '{"t":"file-offer","id":"x","name":"","size":-1,"type":"","chunkSize":1}'],
    ['an answer for an unknown transfer', '{"t":"file-accept","id":"nope"}'],
    ['a cancel for an unknown transfer', '{"t":"file-cancel","id":"nope","reason":"cancelled"}'],
    ['a receipt for an unknown transfer', '{"t":"file-received","id":"nope"}'],
  ] as const;

  for (const [what, frame] of bad) {
    it(`reports ${what} as BAD_PEER_DATA and keeps working`, async () => {
      const { a, b, connA } = dataPair();
      await next(a, 'open');
      const error = next<PonteError>(b, 'error');
      connA.channels.get('ponte-reliable')?.send(frame);
      expect((await error).code).toBe('BAD_PEER_DATA');
      const message = next<PeerMessage>(b, 'message');
      a.send('still here');
      expect((await message).data).toBe('still here');
    });
  }

  it('refuses control frames on the unreliable channel', async () => {
    const { a, b, connA } = dataPair();
    await next(a, 'open');
    await tick();
    const error = next<PonteError>(b, 'error');
    connA.channels.get('ponte-unreliable')?.send('{"t":"file-accept","id":"abc"}');
    expect((await error).message).toMatch(/unreliable/);
  });

  it('refuses oversized frames from the peer', async () => {
    const { a, b, connA } = dataPair({ maxMessageSize: 64 });
    await next(a, 'open');
    const error = next<PonteError>(b, 'error');
    connA.channels.get('ponte-reliable')?.send(new Uint8Array(65));
    expect((await error).code).toBe('BAD_PEER_DATA');
  });

  it('counts a received text frame in UTF-8 bytes against maxMessageSize, as a sent one', async () => {
    const { a, b, connA } = dataPair({ maxMessageSize: 64 });
    await next(a, 'open');
    const error = next<PonteError>(b, 'error');
    // 41 characters, 81 bytes.
    connA.channels.get('ponte-reliable')?.send(JSON.stringify({ t: 'msg', data: '€'.repeat(20) }));
    expect((await error).message).toMatch(/a message of 81 bytes/);
  });

  it('closes a file channel for a transfer it never accepted', async () => {
    const { a, b, connA, connB } = dataPair();
    await next(a, 'open');
    const error = next<PonteError>(b, 'error');
    const rogue = connA.createDataChannel('ponte-file:made-up', { ordered: true });
    expect((await error).message).toMatch(/unknown or unaccepted transfer/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(connB.channels.get('ponte-file:made-up')?.readyState).toBe('closed');
    expect(rogue.readyState).toBe('closed');
  });

  it('leaves channels of other labels alone', async () => {
    const { a, b, connA, connB } = dataPair();
    await next(a, 'open');
    const errors: PonteError[] = [];
    b.on('error', (error) => errors.push(error));
    const own = connA.createDataChannel('app-own', {});
    // The fake opens both ends in one task, ours first: the other end is open right after.
    await new Promise((resolve) => (own.onopen = resolve));
    expect(errors).toEqual([]);
    expect(connB.channels.get('app-own')?.readyState).toBe('open');
  });

  it('refuses more pending offers than allowed, declining the extra one', async () => {
    const { a, b, connA } = dataPair({ maxPendingOffers: 1 });
    await next(a, 'open');
    const offers: string[] = [];
    b.on('file-offer', (file) => offers.push(file.id));
    const error = next<PonteError>(b, 'error');
    const offer = (id: string): string => JSON.stringify({ t: 'file-offer', id, name: 'a.txt', size: 1, type: '', chunkSize: 1024 });
    connA.channels.get('ponte-reliable')?.send(offer('one'));
    connA.channels.get('ponte-reliable')?.send(offer('two'));
    expect((await error).message).toMatch(/more than 1 file offers/);
    expect(offers).toEqual(['one']);
  });
});
