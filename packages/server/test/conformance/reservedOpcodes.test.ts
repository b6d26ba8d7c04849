import { describe, it } from 'vitest';
import { CloseCode, Opcode } from '../../src/transport/frame.js';
import { clientFrame } from '../clientFrame.js';
import { useConformanceServer } from './echo.js';
import { expectClose } from './wire.js';

/**
 * RFC 6455 conformance, Autobahn section 4: the reserved opcodes, non-control 3-7 and control
 * 11-15 (§5.2), fail the connection with 1002; a valid message before one is still delivered,
 * and a ping after it is not answered.
 */
const server = useConformanceServer();

const PAYLOAD = 'reserved opcode payload';

/** Autobahn's cases x.1 and x.2: the reserved frame alone, empty and with a payload. */
const ALONE = [
  { n: '4.1.1', opcode: 3, payload: '' },
  { n: '4.1.2', opcode: 4, payload: PAYLOAD },
  { n: '4.2.1', opcode: 11, payload: '' },
  { n: '4.2.2', opcode: 12, payload: PAYLOAD },
];

/** Autobahn's cases x.3 to x.5: a valid message, the reserved frame, a ping. */
const AFTER_A_MESSAGE = [
  { n: '4.1.3', opcode: 5, payload: '' },
  { n: '4.1.4', opcode: 6, payload: PAYLOAD },
  { n: '4.1.5', opcode: 7, payload: PAYLOAD },
  { n: '4.2.3', opcode: 13, payload: '' },
  { n: '4.2.4', opcode: 14, payload: PAYLOAD },
  { n: '4.2.5', opcode: 15, payload: PAYLOAD },
];

describe('4 reserved opcodes', () => {
  for (const { n, opcode, payload } of ALONE) {
    it(`${n} frame of reserved opcode ${opcode}: close 1002`, async () => {
      const client = await server.raw();
      client.sendFrame(opcode, payload);
      await expectClose(client, CloseCode.protocolError);
    });
  }

  for (const { n, opcode, payload } of AFTER_A_MESSAGE) {
    it(`${n} valid text, a frame of reserved opcode ${opcode}, a ping: the echo, then close 1002 and no pong`, async () => {
      const pair = await server.pair();
      const message = pair.signal();
      pair.a.send(Buffer.concat([clientFrame(Opcode.text, message), clientFrame(opcode, payload), clientFrame(Opcode.ping, 'ping')]));
      await pair.expectEcho(message);
      await expectClose(pair.a, CloseCode.protocolError);
    });
  }
});
