import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { CloseCode, Opcode } from '../../src/transport/frame.js';
import { clientFrame } from '../clientFrame.js';
import { useConformanceServer, type EchoPair } from './echo.js';
import { cutAt, expectClose, expectErrorAnswer, expectNothingMore, fragmentFrames, piecesOf } from './wire.js';

/**
 * RFC 6455 conformance, Autobahn section 9 (limits and performance), scaled to Ponte's
 * `maxPayload` of 65,536 bytes: messages up to it are taken whole, in any fragments and
 * chunks; a larger one is refused with 1009 (§7.4.1) from its header, before its payload is
 * read. Then Ponte's own limit of 1,024 fragments per message (option `maxFragments`).
 */
const server = useConformanceServer();

const KIB = 1024;
const MIB = KIB * KIB;
const MAX_PAYLOAD = 64 * KIB;

/** Autobahn's sizes from 256 KiB to 16 MiB, all over the limit here. */
const OVER = [
  { n: 2, size: 256 * KIB, label: '256 KiB' },
  { n: 3, size: 1 * MIB, label: '1 MiB' },
  { n: 4, size: 4 * MIB, label: '4 MiB' },
  { n: 5, size: 8 * MIB, label: '8 MiB' },
  { n: 6, size: 16 * MIB, label: '16 MiB' },
];

for (const { section, kind, opcode } of [
  { section: '9.1', kind: 'text', opcode: Opcode.text },
  { section: '9.2', kind: 'binary', opcode: Opcode.binary },
]) {
  describe(`${section} ${kind} messages around the 64 KiB limit`, () => {
    it(`${section}.1 ${kind} of 64 KiB (the limit): taken whole`, async () => {
      const pair = await server.pair();
      if (opcode === Opcode.text) {
        const message = pair.signal('', MAX_PAYLOAD);
        pair.a.sendFrame(opcode, message);
        await pair.expectEcho(message);
      } else {
        pair.a.sendFrame(opcode, randomBytes(MAX_PAYLOAD));
        await pair.expectBinaryRefused();
      }
    });

    it(`${section}.1b ${kind} of 64 KiB + 1 byte: close 1009`, async () => {
      const client = await server.raw();
      client.sendFrame(opcode, Buffer.alloc(MAX_PAYLOAD + 1, ' '));
      await expectClose(client, CloseCode.messageTooBig);
    });

    for (const { n, size, label } of OVER) {
      it(`${section}.${n} ${kind} of ${label}, only its header and 1 KiB sent: close 1009 at the header`, async () => {
        // The rest is never sent: a close can only come from the header.
        const client = await server.raw();
        client.sendFrame(opcode, randomBytes(KIB), { claimedLength: size });
        await expectClose(client, CloseCode.messageTooBig);
      });
    }
  });
}

/** Autobahn's fragment sizes and write sizes that fit a 64 KiB message. */
const FRAGMENT_SIZES = [64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB];
const CHUNK_SIZES = [64, 128, 256, 512, KIB, 2 * KIB];
const bytes = (size: number): string => (size >= KIB ? `${size / KIB} KiB` : `${size} bytes`);

for (const { section, kind, opcode } of [
  { section: '9.3', kind: 'text', opcode: Opcode.text },
  { section: '9.4', kind: 'binary', opcode: Opcode.binary },
]) {
  describe(`${section} a 64 KiB ${kind} message in fragments`, () => {
    FRAGMENT_SIZES.forEach((size, i) => {
      const count = MAX_PAYLOAD / size;
      it(`${section}.${i + 1} in ${count} fragment${count > 1 ? 's' : ''} of ${bytes(size)}: taken whole`, async () => {
        const pair = await server.pair();
        const message = opcode === Opcode.text ? pair.signal('', MAX_PAYLOAD) : randomBytes(MAX_PAYLOAD);
        pair.a.send(Buffer.concat(fragmentFrames(piecesOf(message, size), opcode)));
        if (opcode === Opcode.text) await pair.expectEcho(message);
        else await pair.expectBinaryRefused();
      });
    });
  });
}

for (const { section, kind, opcode } of [
  { section: '9.5', kind: 'text', opcode: Opcode.text },
  { section: '9.6', kind: 'binary', opcode: Opcode.binary },
]) {
  describe(`${section} a 64 KiB ${kind} frame written in chunks`, () => {
    CHUNK_SIZES.forEach((size, i) => {
      it(`${section}.${i + 1} in writes of ${bytes(size)}: taken whole`, async () => {
        const pair = await server.pair();
        const message = opcode === Opcode.text ? pair.signal('', MAX_PAYLOAD) : randomBytes(MAX_PAYLOAD);
        await pair.a.sendParts(piecesOf(clientFrame(opcode, message), size));
        if (opcode === Opcode.text) await pair.expectEcho(message);
        else await pair.expectBinaryRefused();
      });
    });
  });
}

for (const { section, kind, opcode } of [
  { section: '9.7', kind: 'text', opcode: Opcode.text },
  { section: '9.8', kind: 'binary', opcode: Opcode.binary },
]) {
  describe(`${section} 1,000 ${kind} messages in a row (rate limit off)`, () => {
    [0, 16, 64, 256, KIB, 4 * KIB].forEach((size, i) => {
      it(`${section}.${i + 1} of ${bytes(size)} each: every one answered, in order`, async () => {
        const pair = await server.pair();
        // A text message big enough to be a signal is echoed to B; any other is answered to A.
        const echoed = opcode === Opcode.text && size >= pair.minSize;
        const messages = Array.from({ length: 1000 }, (_, m) =>
          echoed ? pair.signal(String(m), size) : opcode === Opcode.text ? Buffer.alloc(size, 'x') : randomBytes(size),
        );
        pair.a.send(Buffer.concat(messages.map((message) => clientFrame(opcode, message))));
        for (const message of messages) {
          if (echoed) await pair.expectEcho(message);
          else await expectErrorAnswer(pair.a);
        }
        await expectNothingMore(pair.a);
      });
    });
  });
}

describe('fragments per message (Ponte: option maxFragments, default 1,024)', () => {
  /** A signal of `size` bytes in 1-byte fragments, then a ping as a barrier. */
  function inOneByteFragments(pair: EchoPair, size: number): { message: Buffer; bytes: Buffer } {
    const message = pair.signal('', size);
    const frames = fragmentFrames(piecesOf(message, 1));
    return { message, bytes: Buffer.concat([...frames, clientFrame(Opcode.ping, 'barrier')]) };
  }

  it('a text message in 1,024 fragments (the most): the echo', async () => {
    const pair = await server.pair();
    const { message, bytes } = inOneByteFragments(pair, 1024);
    pair.a.send(bytes);
    await pair.expectEcho(message);
  });

  it('a text message in 1,025 fragments: close 1009, nothing relayed', async () => {
    const pair = await server.pair();
    pair.a.send(inOneByteFragments(pair, 1025).bytes);
    await expectClose(pair.a, CloseCode.messageTooBig);
    await pair.expectALeft();
  });

  it('a binary message in 1,025 fragments: close 1009', async () => {
    const client = await server.raw();
    const frames = fragmentFrames(
      cutAt(
        randomBytes(1025),
        Array.from({ length: 1024 }, (_, i) => i + 1),
      ),
      Opcode.binary,
    );
    client.send(Buffer.concat([...frames, clientFrame(Opcode.ping, 'barrier')]));
    await expectClose(client, CloseCode.messageTooBig);
  });

  it('a text fragment, then 1,025 empty continuations (the message never ends): close 1009 before the ping after them', async () => {
    const client = await server.raw();
    const empty = clientFrame(Opcode.continuation, '', { fin: false });
    const frames = [clientFrame(Opcode.text, '{', { fin: false }), ...Array.from({ length: 1025 }, () => empty)];
    client.send(Buffer.concat([...frames, clientFrame(Opcode.ping, 'barrier')]));
    await expectClose(client, CloseCode.messageTooBig);
  });
});
