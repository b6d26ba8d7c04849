import { describe, it } from 'vitest';
import { CloseCode, Opcode } from '../../src/transport/frame.js';
import { clientFrame } from '../clientFrame.js';
import { useConformanceServer } from './echo.js';
import { expectClose, sendFrames, type WriteMode } from './wire.js';

/**
 * RFC 6455 conformance, Autobahn section 3: a reserved bit set while no extension was
 * negotiated fails the connection (§5.2) with 1002; a valid message before it is still
 * delivered, and a ping after it is not answered.
 */
const server = useConformanceServer();

/** The three reserved bits as Autobahn numbers them (1 is RSV3 … 4 is RSV1), placed in the first byte. */
const rsv = (value: number): number => value << 4;

interface Case {
  n: number | string;
  what: string;
  opcode: number;
  rsv: number;
  payload: string;
}

const ALONE: Case[] = [
  { n: 1, what: 'text', opcode: Opcode.text, rsv: 1, payload: 'Hello, world!' },
  { n: 5, what: 'binary', opcode: Opcode.binary, rsv: 5, payload: '\u0000\u00ff' },
  { n: 6, what: 'ping', opcode: Opcode.ping, rsv: 6, payload: 'Hello, world!' },
  { n: 7, what: 'close', opcode: Opcode.close, rsv: 7, payload: '\u0003\u00e8' },
];

const AFTER_A_MESSAGE: (Case & { mode: WriteMode })[] = [
  { n: 2, what: 'text', opcode: Opcode.text, rsv: 2, payload: 'Hello, world!', mode: 'in one write' },
  { n: 3, what: 'text', opcode: Opcode.text, rsv: 3, payload: 'Hello, world!', mode: 'frame by frame' },
  { n: 4, what: 'text', opcode: Opcode.text, rsv: 4, payload: 'Hello, world!', mode: 'byte by byte' },
  // Beyond Autobahn: the other frame types, each after a valid message too.
  { n: '5b', what: 'binary', opcode: Opcode.binary, rsv: 5, payload: '\u0000\u00ff', mode: 'in one write' },
  { n: '6b', what: 'ping', opcode: Opcode.ping, rsv: 6, payload: 'Hello, world!', mode: 'in one write' },
  { n: '7b', what: 'close', opcode: Opcode.close, rsv: 7, payload: '\u0003\u00e8', mode: 'in one write' },
];

describe('3 reserved bits', () => {
  for (const { n, what, opcode, rsv: bits, payload } of ALONE) {
    it(`3.${n} ${what} frame with RSV = ${bits}: close 1002`, async () => {
      const client = await server.raw();
      client.sendFrame(opcode, Buffer.from(payload, 'latin1'), { rsv: rsv(bits) });
      await expectClose(client, CloseCode.protocolError);
    });
  }

  for (const { n, what, opcode, rsv: bits, payload, mode } of AFTER_A_MESSAGE) {
    it(`3.${n} valid text, then a ${what} frame with RSV = ${bits}, then a ping, sent ${mode}: the echo, then close 1002 and no pong`, async () => {
      const pair = await server.pair();
      const message = pair.signal();
      const frames = [
        clientFrame(Opcode.text, message),
        clientFrame(opcode, Buffer.from(payload, 'latin1'), { rsv: rsv(bits) }),
        clientFrame(Opcode.ping, 'ping'),
      ];
      await sendFrames(pair.a, frames, mode);
      await pair.expectEcho(message);
      await expectClose(pair.a, CloseCode.protocolError);
    });
  }
});
