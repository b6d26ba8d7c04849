import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeConnectionPair, linkOf, next, type FakeConnection } from '../../test/fakeConnection.js';
import { ChunkDigest } from './chunkDigest.js';
import type { TransferEnd, TransferProgress } from './FileTransfer.js';
import type { IncomingFile } from './IncomingFile.js';
import { OutgoingFile, type OutgoingFileEnd } from './OutgoingFile.js';
import { PeerData } from './PeerData.js';
import type { PonteError } from '../errors/PonteError.js';

const CHUNK = 16 * 1024;
const OPTIONS = { chunkSize: CHUNK, highWaterMark: 4 * CHUNK, lowWaterMark: CHUNK, readSize: 3 * CHUNK, progressIntervalMs: 5 };

function dataPair(): { a: PeerData; b: PeerData; connA: FakeConnection; connB: FakeConnection } {
  const [connA, connB] = fakeConnectionPair();
  return { a: new PeerData(linkOf(connA), 'peer-b', OPTIONS), b: new PeerData(linkOf(connB), 'peer-a', OPTIONS), connA, connB };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A long transfer from `a` to `b`, accepted, with its first bytes received. */
async function midTransfer() {
  const pair = dataPair();
  const offered = next<IncomingFile>(pair.b, 'file-offer');
  const sender = pair.a.sendFile(new File([randomBytes(64 * CHUNK)], 'long.bin'));
  const incoming = await offered;
  incoming.accept();
  await new Promise<void>((resolve) => incoming.on('progress', (p) => p.bytes > 0 && resolve()));
  return { ...pair, sender, incoming };
}

async function bytesOf(file: File | null): Promise<Uint8Array> {
  if (!file) throw new Error('no file');
  return new Uint8Array(await file.arrayBuffer());
}

describe('file transfer', () => {
  it('delivers a file whose size is not a whole number of chunks, with progress and matching bytes', async () => {
    const { a, b } = dataPair();
    const bytes = randomBytes(10 * CHUNK + 1234);
    const offered = next<IncomingFile>(b, 'file-offer');
    const sender = a.sendFile(new File([bytes], 'photo.jpg', { type: 'image/jpeg' }));
    const incoming = await offered;
    expect([incoming.name, incoming.size, incoming.type, incoming.peerId, incoming.state]).toEqual([
      'photo.jpg',
      bytes.length,
      'image/jpeg',
      'peer-a',
      'offered',
    ]);
    const progress: TransferProgress[] = [];
    incoming.on('progress', (p) => progress.push(p));
    const received = next<TransferEnd>(incoming, 'end');
    const sent = next<TransferEnd>(sender, 'end');
    incoming.accept();
    expect(await received).toEqual({ state: 'done', reason: 'completed' });
    expect(await sent).toEqual({ state: 'done', reason: 'completed' });
    expect(sha256(await bytesOf(incoming.file))).toBe(sha256(bytes));
    expect(incoming.file?.name).toBe('photo.jpg');
    expect(progress.at(-1)).toMatchObject({ bytes: bytes.length, size: bytes.length });
    expect(sender.progress.bytes).toBe(bytes.length);
    expect(a.outgoing.size + b.incoming.size).toBe(0);
  });

  it('sends with a chunk size every receiver accepts, whatever was configured', async () => {
    const [connA, connB] = fakeConnectionPair();
    const a = new PeerData(linkOf(connA), 'peer-b', { ...OPTIONS, chunkSize: 100.5 });
    const b = new PeerData(linkOf(connB), 'peer-a', OPTIONS);
    b.on('file-offer', (file) => file.accept());
    const sender = a.sendFile(new File([randomBytes(3000)], 'small-chunks.bin'));
    expect(await next<TransferEnd>(sender, 'end')).toEqual({ state: 'done', reason: 'completed' });
    expect(connA.channels.get(`ponte-file:${sender.id}`)?.sent[0]).toHaveProperty('byteLength', 1024);
  });

  it('sends an empty file', async () => {
    const { a, b } = dataPair();
    b.on('file-offer', (file) => file.accept());
    const sender = a.sendFile(new File([], 'empty.txt'));
    expect(await next<TransferEnd>(sender, 'end')).toMatchObject({ state: 'done' });
  });

  it('keeps the browser buffer under the high-water mark', async () => {
    const { a, b, connA } = dataPair();
    b.on('file-offer', (file) => file.accept());
    const sender = a.sendFile(new File([randomBytes(40 * CHUNK)], 'big.bin'));
    let highest = 0;
    const timer = setInterval(() => {
      highest = Math.max(highest, connA.channels.get(`ponte-file:${sender.id}`)?.bufferedAmount ?? 0);
    }, 0);
    await next(sender, 'end');
    clearInterval(timer);
    expect(highest).toBeGreaterThan(0);
    expect(highest).toBeLessThanOrEqual(OPTIONS.highWaterMark + CHUNK);
  });

  it('runs several transfers at once', async () => {
    const { a, b } = dataPair();
    b.on('file-offer', (file) => file.accept());
    const files = [randomBytes(5 * CHUNK), randomBytes(7 * CHUNK + 3), randomBytes(100)];
    const received = new Map<string, IncomingFile>();
    b.on('file-offer', (file) => received.set(file.name, file));
    const senders = files.map((bytes, index) => a.sendFile(new File([bytes], `f${index}`)));
    await Promise.all(senders.map((sender) => next(sender, 'end')));
    for (const [index, bytes] of files.entries()) {
      expect(sha256(await bytesOf(received.get(`f${index}`)?.file ?? null))).toBe(sha256(bytes));
    }
  });

  it('ends as declined when the receiver declines', async () => {
    const { a, b } = dataPair();
    b.on('file-offer', (file) => file.decline());
    const sender = a.sendFile(new File(['x'], 'no.txt'));
    expect(await next<TransferEnd>(sender, 'end')).toEqual({ state: 'declined', reason: 'declined' });
  });

  it('cancelling on the sender ends both sides as cancelled', async () => {
    const { sender, incoming } = await midTransfer();
    const receiverEnd = next<TransferEnd>(incoming, 'end');
    sender.cancel();
    expect(sender.ended).toEqual({ state: 'cancelled', reason: 'cancelled' });
    expect(await receiverEnd).toEqual({ state: 'cancelled', reason: 'cancelled-by-peer' });
    expect(incoming.file).toBeNull();
  });

  it('cancelling on the receiver ends both sides as cancelled', async () => {
    const { sender, incoming } = await midTransfer();
    const senderEnd = next<TransferEnd>(sender, 'end');
    incoming.cancel();
    expect(await senderEnd).toEqual({ state: 'cancelled', reason: 'cancelled-by-peer' });
  });

  it('a peer leaving mid-transfer ends it on both sides with that reason', async () => {
    const { a, sender, incoming } = await midTransfer();
    const receiverEnd = next<TransferEnd>(incoming, 'end');
    a.close('left');
    expect(sender.ended).toEqual({ state: 'cancelled', reason: 'left' });
    const end = await receiverEnd;
    expect(end).toMatchObject({ state: 'failed', reason: 'peer-left' });
    expect(end.error?.code).toBe('TRANSFER_FAILED');
  });

  it('a connection that closes mid-transfer ends it as peer-left', async () => {
    const { connA, sender, incoming } = await midTransfer();
    connA.closeAll();
    expect(incoming.ended).toMatchObject({ state: 'failed', reason: 'peer-left' });
    expect(sender.ended).toMatchObject({ state: 'failed', reason: 'peer-left' });
  });

  it('ends as peer-left when the file channel of a closing connection closes before its message channel', async () => {
    const { connA, sender } = await midTransfer();
    const reliable = connA.channels.get('ponte-reliable');
    setTimeout(() => reliable?.markClosed(), 0);
    connA.channels.get(`ponte-file:${sender.id}`)?.markClosed();
    expect(await next<TransferEnd>(sender, 'end')).toMatchObject({ state: 'failed', reason: 'peer-left' });
  });
});

describe('file transfer from a lying sender', () => {
  /** Offers a file by hand from `connA` and opens its channel once `b` accepted. */
  async function rogueTransfer(size: number, chunkSize = 1024) {
    const { a, b, connA } = dataPair();
    await next(a, 'open');
    const offered = next<IncomingFile>(b, 'file-offer');
    connA.channels.get('ponte-reliable')?.send(JSON.stringify({ t: 'file-offer', id: 'rogue', name: 'x.bin', size, type: '', chunkSize }));
    const incoming = await offered;
    const errors: PonteError[] = [];
    b.on('error', (error) => errors.push(error));
    incoming.accept();
    const channel = connA.createDataChannel('ponte-file:rogue', { ordered: true });
    await new Promise<void>((resolve) => (channel.onopen = () => resolve()));
    return { b, incoming, channel, errors, connA };
  }

  it('fails a transfer that sends more bytes than announced', async () => {
    const { incoming, channel, errors, connA } = await rogueTransfer(1500);
    const end = next<TransferEnd>(incoming, 'end');
    channel.send(new Uint8Array(1024));
    channel.send(new Uint8Array(1024));
    expect(await end).toMatchObject({ state: 'failed', reason: 'bad-data' });
    expect((await end).error?.code).toBe('BAD_PEER_DATA');
    expect(errors[0]?.message).toMatch(/more bytes than the 1500 announced/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(connA.channels.get('ponte-reliable')?.peer?.sent.at(-1)).toBe('{"t":"file-cancel","id":"rogue","reason":"bad-data"}');
  });

  it('fails a transfer whose chunks do not have the announced size', async () => {
    const { incoming, channel, errors } = await rogueTransfer(4096);
    const end = next<TransferEnd>(incoming, 'end');
    channel.send(new Uint8Array(100));
    expect((await end).reason).toBe('bad-data');
    expect(errors[0]?.message).toMatch(/100 bytes where 1024/);
  });

  it('fails a transfer that ends early', async () => {
    const { incoming, channel } = await rogueTransfer(4096);
    const end = next<TransferEnd>(incoming, 'end');
    channel.send(new Uint8Array(1024));
    channel.send(JSON.stringify({ t: 'file-end', sha256: '0'.repeat(64) }));
    expect((await end).reason).toBe('bad-data');
  });

  it('fails a transfer whose digest does not match', async () => {
    const { incoming, channel, errors } = await rogueTransfer(1024);
    const end = next<TransferEnd>(incoming, 'end');
    channel.send(new Uint8Array(1024));
    channel.send(JSON.stringify({ t: 'file-end', sha256: '0'.repeat(64) }));
    expect(await end).toMatchObject({ state: 'failed', reason: 'integrity' });
    expect(errors[0]?.message).toMatch(/SHA-256/);
  });

  it('accepts the same bytes with the right digest', async () => {
    const { incoming, channel } = await rogueTransfer(1024);
    const chunk = new Uint8Array(1024).fill(7);
    const digest = new ChunkDigest();
    digest.add(chunk);
    const end = next<TransferEnd>(incoming, 'end');
    channel.send(chunk);
    channel.send(JSON.stringify({ t: 'file-end', sha256: await digest.hex() }));
    expect((await end).state).toBe('done');
  });
});

describe('a file sent to several peers', () => {
  function fanOut(): { toB: PeerData; toC: PeerData; b: PeerData; c: PeerData } {
    const [ab, ba] = fakeConnectionPair();
    const [ac, ca] = fakeConnectionPair();
    return {
      toB: new PeerData(linkOf(ab), 'b', OPTIONS),
      toC: new PeerData(linkOf(ac), 'c', OPTIONS),
      b: new PeerData(linkOf(ba), 'a', OPTIONS),
      c: new PeerData(linkOf(ca), 'a', OPTIONS),
    };
  }

  it('sums progress and ends done when everyone who did not decline got it', async () => {
    const { toB, toC, b, c } = fanOut();
    b.on('file-offer', (file) => file.accept());
    c.on('file-offer', (file) => file.decline());
    const file = new File([randomBytes(6 * CHUNK)], 'both.bin');
    const outgoing = new OutgoingFile('same-id', 'both.bin', file, [toB.sendFile(file, { id: 'same-id' }), toC.sendFile(file, { id: 'same-id' })]);
    expect(outgoing.recipients).toEqual(['b', 'c']);
    const end = await next<OutgoingFileEnd>(outgoing, 'end');
    expect(end.state).toBe('done');
    expect(end.results.get('b')?.state).toBe('done');
    expect(end.results.get('c')?.state).toBe('declined');
    expect(outgoing.progress).toMatchObject({ bytes: file.size, size: file.size });
  });

  it('cancels every recipient at once', async () => {
    const { toB, toC, b, c } = fanOut();
    const offers = Promise.all([next<IncomingFile>(b, 'file-offer'), next<IncomingFile>(c, 'file-offer')]);
    const file = new File([randomBytes(64 * CHUNK)], 'big.bin');
    const outgoing = new OutgoingFile('x', 'big.bin', file, [toB.sendFile(file, { id: 'x' }), toC.sendFile(file, { id: 'x' })]);
    const incoming = await offers;
    for (const offer of incoming) offer.accept();
    const ended = next<OutgoingFileEnd>(outgoing, 'end');
    outgoing.cancel();
    expect((await ended).state).toBe('cancelled');
    const remoteEnds = await Promise.all(incoming.map(async (offer) => offer.ended ?? (await next<TransferEnd>(offer, 'end'))));
    expect(remoteEnds.map((end) => end.reason)).toEqual(['cancelled-by-peer', 'cancelled-by-peer']);
  });

  it('refuses to send on a closed link', async () => {
    const { toB } = fanOut();
    toB.close('peer-left');
    expect(() => toB.sendFile(new File(['x'], 'x'))).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});
