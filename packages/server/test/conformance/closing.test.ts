import { describe, expect, it } from 'vitest';
import { CloseCode, isSendableCloseCode, Opcode } from '../../src/transport/frame.js';
import { clientFrame } from '../clientFrame.js';
import { useConformanceServer } from './echo.js';
import { KOSME } from './utf8Sequences.js';
import { cutAt, expectClose, fragmentFrames } from './wire.js';

/**
 * RFC 6455 conformance, Autobahn section 7: the closing handshake (§5.5.1, §7). The server
 * answers a close frame with one of its own, echoing the code, then closes TCP and reads
 * nothing more; a close payload is empty or a valid code (§7.4) with a UTF-8 reason, 125
 * bytes in all.
 */
const server = useConformanceServer();

/** A close frame's payload: `code`, then `reason`. */
function closePayload(code: number, reason: Buffer | string = ''): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return Buffer.concat([payload, Buffer.from(reason)]);
}

const close = (code: number, reason?: Buffer | string): Buffer => clientFrame(Opcode.close, closePayload(code, reason));

describe('7.1 the closing handshake', () => {
  it('7.1.1 a message, then a close: the echo, then the close code echoed, then TCP closed', async () => {
    const pair = await server.pair();
    const message = pair.signal();
    pair.a.send(Buffer.concat([clientFrame(Opcode.text, message), close(CloseCode.normal)]));
    await pair.expectEcho(message);
    await expectClose(pair.a, CloseCode.normal);
  });

  it('7.1.2 two close frames: one close frame back, then TCP closed', async () => {
    const client = await server.raw();
    client.send(Buffer.concat([close(CloseCode.normal), close(CloseCode.normal)]));
    await expectClose(client, CloseCode.normal);
  });

  it('7.1.3 a ping after the close frame: no pong', async () => {
    const client = await server.raw();
    client.send(Buffer.concat([close(CloseCode.normal), clientFrame(Opcode.ping, 'after close')]));
    await expectClose(client, CloseCode.normal);
  });

  it('7.1.4 a text message after the close frame: not relayed', async () => {
    const pair = await server.pair();
    pair.a.send(Buffer.concat([close(CloseCode.normal), clientFrame(Opcode.text, pair.signal())]));
    await expectClose(pair.a, CloseCode.normal);
    await pair.expectALeft();
  });

  it('7.1.5 a text fragment, a close, the last fragment: the close echoed, the message never relayed', async () => {
    const pair = await server.pair();
    const message = pair.signal();
    const [first, last] = fragmentFrames(cutAt(message, [10]));
    pair.a.send(Buffer.concat([first!, close(CloseCode.normal), last!]));
    await expectClose(pair.a, CloseCode.normal);
    await pair.expectALeft();
  });

  it('7.1.6 a message of the largest size, a close, a ping: the echo, the close echoed, no pong', async () => {
    const pair = await server.pair();
    const message = pair.signal('', 65_536);
    pair.a.send(Buffer.concat([clientFrame(Opcode.text, message), close(CloseCode.normal), clientFrame(Opcode.ping, 'after close')]));
    await pair.expectEcho(message);
    await expectClose(pair.a, CloseCode.normal);
  });
});

describe('7.3 close frame payloads', () => {
  it('7.3.1 a close frame without payload: a close frame without payload back (1005 is reported, never sent)', async () => {
    const client = await server.raw();
    client.sendFrame(Opcode.close, '');
    const frame = await expectClose(client, undefined);
    expect(frame.payload.length).toBe(0);
  });

  it('7.3.2 a close payload of 1 byte (half a code): close 1002', async () => {
    const client = await server.raw();
    client.sendFrame(Opcode.close, Buffer.from([0x03]));
    await expectClose(client, CloseCode.protocolError);
  });

  it('7.3.3 close 1000 without a reason: close 1000', async () => {
    const client = await server.raw();
    client.send(close(CloseCode.normal));
    await expectClose(client, CloseCode.normal);
  });

  it('7.3.4 close 1000 with a short reason: close 1000', async () => {
    const client = await server.raw();
    client.send(close(CloseCode.normal, 'Hello World!'));
    await expectClose(client, CloseCode.normal);
  });

  it('7.3.5 close 1000 with a 123-byte reason (a payload of 125, the most): close 1000', async () => {
    const client = await server.raw();
    client.send(close(CloseCode.normal, '*'.repeat(123)));
    await expectClose(client, CloseCode.normal);
  });

  it("7.3.6 close 1000 with a 124-byte reason (a payload of 126, over a control frame's 125): close 1002", async () => {
    const client = await server.raw();
    client.send(close(CloseCode.normal, '*'.repeat(124)));
    await expectClose(client, CloseCode.protocolError);
  });

  it('7.5.1 close 1000 with a reason that is not UTF-8: close 1007', async () => {
    const client = await server.raw();
    client.send(close(CloseCode.normal, Buffer.concat([KOSME, Buffer.from('eda080', 'hex'), Buffer.from('edited')])));
    await expectClose(client, CloseCode.invalidPayload);
  });
});

describe('7.7, 7.9, 7.13 close codes', () => {
  // Autobahn's valid codes; its 7.9 invalid ones; 1015 (a TLS failure: reported, never sent,
  // like 1005 and 1006); 7.13's codes beyond the private range's 4999.
  const VALID = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
  const INVALID = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];
  // Registered with IANA since RFC 6455 (service restart, try again later, bad gateway), so a
  // server MAY accept them: Ponte does what its `isSendableCloseCode` says (today: accepts).
  const REGISTERED_SINCE = [1012, 1013, 1014];
  const answerTo = (code: number): number => (isSendableCloseCode(code) ? code : CloseCode.protocolError);

  const cases: [string, number, number][] = [
    ...VALID.map((code, i): [string, number, number] => [`7.7.${i + 1}`, code, code]),
    ...REGISTERED_SINCE.map((code, i): [string, number, number] => [`7.7.${VALID.length + i + 1} (IANA-registered)`, code, answerTo(code)]),
    ...INVALID.map((code, i): [string, number, number] => [`7.9.${i + 1}`, code, CloseCode.protocolError]),
    [`7.9.${INVALID.length + 1} (never sent)`, 1015, CloseCode.protocolError],
    ['7.13.1', 5000, CloseCode.protocolError],
    ['7.13.2', 65535, CloseCode.protocolError],
  ];
  for (const [n, code, answer] of cases) {
    const verdict = answer === code ? 'echoed' : `close ${answer}`;
    it(`${n} close with code ${code}: ${verdict}`, async () => {
      const client = await server.raw();
      client.send(close(code));
      await expectClose(client, answer);
    });
  }
});
