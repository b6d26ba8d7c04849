import { describe, it } from 'vitest';
import { CloseCode, Opcode } from '../../src/transport/frame.js';
import { clientFrame } from '../clientFrame.js';
import { useConformanceServer, type EchoPair } from './echo.js';
import { cutAt, expectClose, expectNothingMore, expectPong, fragmentFrames, sendFrames, type WriteMode } from './wire.js';

/**
 * RFC 6455 conformance, Autobahn section 5: fragmentation (§5.4). Control frames must not be
 * fragmented but may come between the fragments of a message; a continuation needs a message
 * to continue, and a new message must not start before the last one ended.
 */
const server = useConformanceServer();

/** A signal of `pair` cut in two at its middle, as the frames of one text message. */
function inTwoFragments(pair: EchoPair): { message: Buffer; frames: Buffer[] } {
  const message = pair.signal('fragment one and fragment two');
  return { message, frames: fragmentFrames(cutAt(message, [message.length >> 1])) };
}

const MODES: { mode: WriteMode; chops: string }[] = [
  { mode: 'in one write', chops: '' },
  { mode: 'byte by byte', chops: ' (octet-wise chops)' },
  { mode: 'frame by frame', chops: ' (frame-wise chops)' },
];

describe('5 fragmentation', () => {
  for (const { n, opcode, what } of [
    { n: 1, opcode: Opcode.ping, what: 'ping' },
    { n: 2, opcode: Opcode.pong, what: 'pong' },
  ]) {
    it(`5.${n} ${what} in two fragments: close 1002`, async () => {
      const client = await server.raw();
      client.send(Buffer.concat([clientFrame(opcode, 'fragment1', { fin: false }), clientFrame(Opcode.continuation, 'fragment2')]));
      await expectClose(client, CloseCode.protocolError);
    });
  }

  MODES.forEach(({ mode, chops }, i) => {
    it(`5.${3 + i} text in two fragments, sent ${mode}${chops}: the echo`, async () => {
      const pair = await server.pair();
      const { message, frames } = inTwoFragments(pair);
      await sendFrames(pair.a, frames, mode);
      await pair.expectEcho(message);
    });
  });

  MODES.forEach(({ mode, chops }, i) => {
    it(`5.${6 + i} text in two fragments with a ping between, sent ${mode}${chops}: the pong, then the echo`, async () => {
      const pair = await server.pair();
      const { message, frames } = inTwoFragments(pair);
      await sendFrames(pair.a, [frames[0]!, clientFrame(Opcode.ping, 'ping between'), frames[1]!], mode);
      await expectPong(pair.a, 'ping between');
      await pair.expectEcho(message);
    });
  });

  it('5.6b text in two fragments with an unsolicited pong between: the echo, the pong ignored', async () => {
    const pair = await server.pair();
    const { message, frames } = inTwoFragments(pair);
    pair.a.send(Buffer.concat([frames[0]!, clientFrame(Opcode.pong, 'pong between'), frames[1]!]));
    await pair.expectEcho(message);
    await expectNothingMore(pair.a);
  });

  for (const [first, fin, which] of [
    [9, true, 'final'],
    [12, false, 'non-final'],
  ] as const) {
    MODES.forEach(({ mode, chops }, i) => {
      it(`5.${first + i} ${which} continuation with nothing to continue, then a text message, sent ${mode}${chops}: close 1002`, async () => {
        const pair = await server.pair();
        const message = pair.signal();
        await sendFrames(pair.a, [clientFrame(Opcode.continuation, 'fragment1', { fin }), clientFrame(Opcode.text, message)], mode);
        await expectClose(pair.a, CloseCode.protocolError);
        await pair.expectALeft();
      });
    });
  }

  it('5.15 text in two fragments, then a continuation with nothing to continue and a text: the echo, then close 1002', async () => {
    const pair = await server.pair();
    const { message, frames } = inTwoFragments(pair);
    const stray = [clientFrame(Opcode.continuation, 'fragment3', { fin: false }), clientFrame(Opcode.text, 'fragment4')];
    pair.a.send(Buffer.concat([...frames, ...stray, clientFrame(Opcode.ping, 'ping')]));
    await pair.expectEcho(message);
    await expectClose(pair.a, CloseCode.protocolError);
  });

  for (const [n, fin, which] of [
    [16, false, 'non-final'],
    [17, true, 'final'],
  ] as const) {
    it(`5.${n} twice: a ${which} continuation with nothing to continue, then a fragmented text: close 1002 at the first`, async () => {
      const pair = await server.pair();
      const { frames } = inTwoFragments(pair);
      const round = [clientFrame(Opcode.continuation, 'fragment1', { fin }), ...frames];
      pair.a.send(Buffer.concat([...round, ...round, clientFrame(Opcode.ping, 'ping')]));
      await expectClose(pair.a, CloseCode.protocolError);
      await pair.expectALeft();
    });
  }

  it('5.18 text fragment, then another text frame (not a continuation): close 1002', async () => {
    const pair = await server.pair();
    const { frames } = inTwoFragments(pair);
    pair.a.send(Buffer.concat([frames[0]!, clientFrame(Opcode.text, 'fragment2'), clientFrame(Opcode.ping, 'ping')]));
    await expectClose(pair.a, CloseCode.protocolError);
    await pair.expectALeft();
  });

  for (const [n, mode, each] of [
    [19, 'in one write', 'the frames of each step in one write'],
    [20, 'frame by frame', 'a write per frame'],
  ] as const) {
    it(`5.${n} text in five fragments with a ping after the 2nd and the 4th, ${each}: each pong before the next fragment, then the echo`, async () => {
      const pair = await server.pair();
      const message = pair.signal('one two three four five');
      const frames = fragmentFrames(cutAt(message, [20, 40, 60, 80]));
      // Waiting for each pong proves the server handled the ping in the middle of the message.
      await sendFrames(pair.a, [frames[0]!, frames[1]!, clientFrame(Opcode.ping, 'pongme 1!')], mode);
      await expectPong(pair.a, 'pongme 1!');
      await sendFrames(pair.a, [frames[2]!, frames[3]!, clientFrame(Opcode.ping, 'pongme 2!')], mode);
      await expectPong(pair.a, 'pongme 2!');
      await sendFrames(pair.a, [frames[4]!], mode);
      await pair.expectEcho(message);
    });
  }
});
