import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { Opcode } from '../../src/transport/frame.js';
import { clientFrame } from '../clientFrame.js';
import { useConformanceServer } from './echo.js';
import { expectErrorAnswer, expectNothingMore, piecesOf } from './wire.js';

/**
 * RFC 6455 conformance, Autobahn section 1: messages of every length encoding (7-bit,
 * 16-bit and 64-bit lengths, RFC 6455 §5.2), in one write and in chunks.
 */
const server = useConformanceServer();

/** Autobahn's lengths: each side of the 125/126 and 65535/65536 length-encoding bounds. */
const LENGTHS = [
  { n: 2, length: 125 },
  { n: 3, length: 126 },
  { n: 4, length: 127 },
  { n: 5, length: 128 },
  { n: 6, length: 65_535 },
  { n: 7, length: 65_536 },
];

describe('1.1 text messages', () => {
  it('1.1.1 text of 0 bytes: accepted whole (answered BAD_MESSAGE: it is not JSON)', async () => {
    const client = await server.raw();
    client.sendFrame(Opcode.text, '');
    await expectErrorAnswer(client);
    await expectNothingMore(client);
  });

  for (const { n, length } of LENGTHS) {
    it(`1.1.${n} text of ${length} bytes: the echo`, async () => {
      const pair = await server.pair();
      const message = pair.signal('', length);
      pair.a.sendFrame(Opcode.text, message);
      await pair.expectEcho(message);
    });
  }

  it('1.1.8 text of 65536 bytes written in chunks of 997 bytes: the echo', async () => {
    const pair = await server.pair();
    const message = pair.signal('', 65_536);
    await pair.a.sendParts(piecesOf(clientFrame(Opcode.text, message), 997));
    await pair.expectEcho(message);
  });
});

describe('1.2 binary messages (not used by the protocol: answered with an error, the socket stays open)', () => {
  /** Sends `frameBytes` (a binary message) and expects one error answer, then a working socket. */
  async function sendBinary(frameBytes: Buffer[]): Promise<void> {
    const pair = await server.pair();
    await pair.a.sendParts(frameBytes);
    await pair.expectBinaryRefused();
    await expectNothingMore(pair.a);
  }

  for (const { n, length } of [{ n: 1, length: 0 }, ...LENGTHS]) {
    it(`1.2.${n} binary of ${length} bytes: an error answer, then still open`, async () => {
      await sendBinary([clientFrame(Opcode.binary, randomBytes(length))]);
    });
  }

  it('1.2.8 binary of 65536 bytes written in chunks of 997 bytes: an error answer, then still open', async () => {
    await sendBinary(piecesOf(clientFrame(Opcode.binary, randomBytes(65_536)), 997));
  });
});
