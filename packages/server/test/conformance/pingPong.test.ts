import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CloseCode, Opcode } from '../../src/transport/frame.js';
import { clientFrame } from '../clientFrame.js';
import type { RawClient } from '../RawClient.js';
import { useConformanceServer } from './echo.js';
import { describeFrame, expectClose, expectNothingMore, expectPong, piecesOf } from './wire.js';

/**
 * RFC 6455 conformance, Autobahn section 2: pings are answered with a pong carrying the same
 * payload (§5.5.2, §5.5.3), control payloads are at most 125 bytes (§5.5), unsolicited pongs
 * are ignored.
 */
const server = useConformanceServer();

/**
 * Expects pongs to `payloads` (pinged in that order): RFC 6455 §5.5.3 lets the server answer
 * only the most recent of pings it has not answered yet, so earlier ones may be skipped, but
 * what comes must be in order and the last ping must be answered.
 */
async function expectPongsTo(client: RawClient, payloads: readonly Buffer[]): Promise<void> {
  const hex = payloads.map((payload) => payload.toString('hex'));
  let last = -1;
  while (last < hex.length - 1) {
    const frame = await client.nextFrame();
    const index = frame.opcode === Opcode.pong ? hex.indexOf(frame.payload.toString('hex')) : -1;
    expect(index, `${describeFrame(frame)} is not a pong to a later ping`).toBeGreaterThan(last);
    last = index;
  }
  await expectNothingMore(client);
}

describe('2 pings and pongs', () => {
  for (const { n, what, payload } of [
    { n: 1, what: 'no payload', payload: Buffer.alloc(0) },
    { n: 2, what: 'a text payload', payload: Buffer.from('Hello, world!') },
    { n: 3, what: 'a binary payload', payload: Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]) },
    { n: 4, what: 'a 125-byte payload', payload: randomBytes(125) },
  ]) {
    it(`2.${n} ping with ${what}: a pong with the same payload`, async () => {
      const client = await server.raw();
      client.sendFrame(Opcode.ping, payload);
      await expectPong(client, payload);
    });
  }

  it('2.5 ping with a 126-byte payload (over the 125 of a control frame): close 1002', async () => {
    const client = await server.raw();
    client.sendFrame(Opcode.ping, randomBytes(126));
    await expectClose(client, CloseCode.protocolError);
  });

  it('2.6 ping with a 125-byte payload written one byte at a time: a pong with the same payload', async () => {
    const client = await server.raw();
    const payload = randomBytes(125);
    await client.sendParts(piecesOf(clientFrame(Opcode.ping, payload), 1));
    await expectPong(client, payload);
  });

  it('2.7 unsolicited pong without payload: ignored', async () => {
    const client = await server.raw();
    client.sendFrame(Opcode.pong, '');
    await expectNothingMore(client);
  });

  it('2.8 unsolicited pong with a payload: ignored', async () => {
    const client = await server.raw();
    client.sendFrame(Opcode.pong, 'unsolicited pong payload');
    await expectNothingMore(client);
  });

  it('2.9 unsolicited pong, then a ping: only the pong to the ping', async () => {
    const client = await server.raw();
    client.send(Buffer.concat([clientFrame(Opcode.pong, 'unsolicited pong payload'), clientFrame(Opcode.ping, 'ping payload')]));
    await expectPong(client, 'ping payload');
    await expectNothingMore(client);
  });

  it('2.10 ten pings in one write: pongs in order, at least to the last', async () => {
    const client = await server.raw();
    const payloads = Array.from({ length: 10 }, (_, i) => Buffer.from(`payload-${i}`));
    client.send(Buffer.concat(payloads.map((payload) => clientFrame(Opcode.ping, payload))));
    await expectPongsTo(client, payloads);
  });

  it('2.11 ten pings, each in its own write: pongs in order, at least to the last', async () => {
    const client = await server.raw();
    const payloads = Array.from({ length: 10 }, (_, i) => Buffer.from(`payload-${i}`));
    await client.sendParts(payloads.map((payload) => clientFrame(Opcode.ping, payload)));
    await expectPongsTo(client, payloads);
  });
});
