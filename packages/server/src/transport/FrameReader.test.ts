import { describe, expect, it } from 'vitest';
import { CloseCode, Opcode } from './frame.js';
import { FrameReader, WebSocketProtocolError, type FrameSink } from './FrameReader.js';
import { clientFrame } from '../../test/clientFrame.js';

type Event = ['message', string, boolean] | ['ping', string] | ['pong'] | ['close', number, string];

/** A reader with a small limit that records what it finds. */
function reader(maxPayload = 70_000, maxFragments = 1_024): { reader: FrameReader; events: Event[] } {
  const events: Event[] = [];
  const sink: FrameSink = {
    onMessage: (data, binary) => events.push(['message', data.toString(), binary]),
    onPing: (payload) => events.push(['ping', payload.toString()]),
    onPong: () => events.push(['pong']),
    onClose: (code, reason) => events.push(['close', code, reason]),
  };
  return { reader: new FrameReader(sink, { maxPayload, maxFragments }), events };
}

/** The close code of the protocol error `bytes` cause. */
function failure(bytes: Buffer, maxPayload?: number, maxFragments?: number): number | undefined {
  const { reader: r } = reader(maxPayload, maxFragments);
  try {
    r.push(bytes);
  } catch (error) {
    if (error instanceof WebSocketProtocolError) return error.closeCode;
    throw error;
  }
  return undefined;
}

describe('FrameReader', () => {
  it('reads a frame split at every byte, and one byte at a time', () => {
    const frame = clientFrame(Opcode.text, 'héllo, signaling');
    for (let split = 0; split <= frame.length; split++) {
      const { reader: r, events } = reader();
      // Copies: the reader unmasks the chunks it is given in place.
      r.push(Buffer.from(frame.subarray(0, split)));
      r.push(Buffer.from(frame.subarray(split)));
      expect(events, `split at ${split}`).toEqual([['message', 'héllo, signaling', false]]);
    }
    const { reader: r, events } = reader();
    for (const byte of frame) r.push(Buffer.from([byte]));
    expect(events).toEqual([['message', 'héllo, signaling', false]]);
  });

  it('reads every length encoding, several frames per chunk, and binary messages', () => {
    const { reader: r, events } = reader();
    const texts = ['', 'a'.repeat(125), 'b'.repeat(126), 'c'.repeat(65_535), 'd'.repeat(65_536)];
    r.push(Buffer.concat([...texts.map((text) => clientFrame(Opcode.text, text)), clientFrame(Opcode.binary, 'raw')]));
    // A short length may also be sent in a longer encoding.
    r.push(clientFrame(Opcode.text, 'long form', { lengthBytes: 8 }));
    expect(events).toEqual([...texts.map((text) => ['message', text, false]), ['message', 'raw', true], ['message', 'long form', false]]);
  });

  it('joins fragments, with control frames between them, and checks UTF-8 on the whole message', () => {
    const { reader: r, events } = reader();
    const euro = Buffer.from('€'); // three bytes, split across two fragments
    r.push(clientFrame(Opcode.text, Buffer.concat([Buffer.from('price: '), euro.subarray(0, 1)]), { fin: false }));
    r.push(clientFrame(Opcode.ping, 'are you there'));
    r.push(clientFrame(Opcode.continuation, euro.subarray(1), { fin: false }));
    r.push(clientFrame(Opcode.pong, ''));
    r.push(clientFrame(Opcode.continuation, '5'));
    expect(events).toEqual([['ping', 'are you there'], ['pong'], ['message', 'price: €5', false]]);
  });

  it('reports a close frame with its code and reason, or 1005 without one, and reads no further', () => {
    const { reader: r, events } = reader();
    const payload = Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from('bye')]);
    r.push(Buffer.concat([clientFrame(Opcode.close, payload), clientFrame(Opcode.text, 'after close')]));
    expect(events).toEqual([['close', 4000, 'bye']]);
    const empty = reader();
    empty.reader.push(clientFrame(Opcode.close, ''));
    expect(empty.events).toEqual([['close', CloseCode.noStatus, '']]);
  });

  it('refuses what RFC 6455 forbids with 1002', () => {
    const cases: Record<string, Buffer> = {
      'reserved bit': clientFrame(Opcode.text, 'x', { rsv: 0x40 }),
      'unmasked frame': clientFrame(Opcode.text, 'x', { masked: false }),
      'unknown data opcode': clientFrame(0x3, 'x'),
      'unknown control opcode': clientFrame(0xb, 'x'),
      'fragmented ping': clientFrame(Opcode.ping, 'x', { fin: false }),
      'ping over 125 bytes': clientFrame(Opcode.ping, 'x'.repeat(126)),
      'continuation first': clientFrame(Opcode.continuation, 'x'),
      'text inside a fragmented message': Buffer.concat([clientFrame(Opcode.text, 'x', { fin: false }), clientFrame(Opcode.text, 'y')]),
      'close of one byte': clientFrame(Opcode.close, Buffer.from([3])),
      'close code 1005': clientFrame(Opcode.close, Buffer.from([0x03, 0xed])),
      'close code 999': clientFrame(Opcode.close, Buffer.from([0x03, 0xe7])),
    };
    for (const [name, bytes] of Object.entries(cases)) expect(failure(bytes), name).toBe(CloseCode.protocolError);
  });

  it('refuses text that is not UTF-8 with 1007', () => {
    expect(failure(clientFrame(Opcode.text, Buffer.from([0x68, 0xc3, 0x28])))).toBe(CloseCode.invalidPayload);
    expect(failure(clientFrame(Opcode.close, Buffer.from([0x03, 0xe8, 0xff])))).toBe(CloseCode.invalidPayload);
    // Binary is not text: any bytes go.
    expect(failure(clientFrame(Opcode.binary, Buffer.from([0xff, 0xfe])))).toBeUndefined();
  });

  it('refuses a message over maxPayload with 1009 from its header, fragments counted together', () => {
    expect(failure(clientFrame(Opcode.text, 'x'.repeat(100)), 100)).toBeUndefined();
    expect(failure(clientFrame(Opcode.text, 'x'.repeat(101)), 100)).toBe(CloseCode.messageTooBig);
    // Refused before the payload arrives: only the header is sent here.
    expect(failure(clientFrame(Opcode.text, '', { claimedLength: 2 ** 40 }).subarray(0, 10), 100)).toBe(CloseCode.messageTooBig);
    expect(failure(clientFrame(Opcode.text, '', { claimedLength: 2 ** 63 - 1 }).subarray(0, 10), 100)).toBe(CloseCode.messageTooBig);
    const fragments = Buffer.concat([clientFrame(Opcode.text, 'x'.repeat(60), { fin: false }), clientFrame(Opcode.continuation, 'x'.repeat(41))]);
    expect(failure(fragments, 100)).toBe(CloseCode.messageTooBig);
  });

  it('refuses a message in more than maxFragments frames with 1009, empty fragments counted too', () => {
    const fragmented = (count: number, payload: string): Buffer =>
      Buffer.concat([
        clientFrame(Opcode.text, payload, { fin: false }),
        ...Array.from({ length: count - 2 }, () => clientFrame(Opcode.continuation, payload, { fin: false })),
        clientFrame(Opcode.continuation, payload),
      ]);
    expect(failure(fragmented(8, 'ab'), 70_000, 8)).toBeUndefined();
    expect(failure(fragmented(9, 'ab'), 70_000, 8)).toBe(CloseCode.messageTooBig);
    expect(failure(fragmented(9, ''), 70_000, 8)).toBe(CloseCode.messageTooBig);
    // Refused at the header of the fragment too many, before the message could end.
    const endless = Buffer.concat([
      clientFrame(Opcode.text, '', { fin: false }),
      ...Array.from({ length: 8 }, () => clientFrame(Opcode.continuation, '', { fin: false })),
    ]);
    expect(failure(endless, 70_000, 8)).toBe(CloseCode.messageTooBig);
  });

  it('finds invalid UTF-8 in the fragment that breaks it, across fragment boundaries', () => {
    // The first fragment is already invalid: refused before the message ends.
    expect(failure(clientFrame(Opcode.text, Buffer.from([0x61, 0xc0, 0x80]), { fin: false }))).toBe(CloseCode.invalidPayload);
    // 0xf4 0x90 can never start a code point (over U+10FFFF): refused at the second fragment.
    const split = Buffer.concat([
      clientFrame(Opcode.text, Buffer.from([0x61, 0xf4]), { fin: false }),
      clientFrame(Opcode.continuation, Buffer.from([0x90]), { fin: false }),
    ]);
    expect(failure(split)).toBe(CloseCode.invalidPayload);
    // A sequence cut short by the end of the message.
    const cut = Buffer.concat([
      clientFrame(Opcode.text, Buffer.from([0x61, 0xe2]), { fin: false }),
      clientFrame(Opcode.continuation, Buffer.from([0x82])),
    ]);
    expect(failure(cut)).toBe(CloseCode.invalidPayload);
    // A four-byte code point cut at every byte across fragments is accepted.
    const emoji = Buffer.from('😀');
    for (let at = 0; at <= emoji.length; at++) {
      const { reader: r, events } = reader();
      r.push(Buffer.concat([clientFrame(Opcode.text, emoji.subarray(0, at), { fin: false }), clientFrame(Opcode.continuation, emoji.subarray(at))]));
      expect(events, `cut at ${at}`).toEqual([['message', '😀', false]]);
    }
  });

  it('reads a fragmented message and a large frame that arrive a byte at a time', () => {
    const { reader: r, events } = reader();
    const big = 'x'.repeat(40_000);
    const message = Buffer.concat([
      clientFrame(Opcode.text, big.slice(0, 30_000), { fin: false }),
      clientFrame(Opcode.continuation, '', { fin: false }),
      clientFrame(Opcode.continuation, big.slice(30_000)),
      clientFrame(Opcode.text, big),
    ]);
    for (const byte of message) r.push(Buffer.from([byte]));
    expect(events).toEqual([
      ['message', big, false],
      ['message', big, false],
    ]);
  });

  it('ignores every byte after an error', () => {
    const { reader: r, events } = reader();
    expect(() => r.push(clientFrame(Opcode.text, 'x', { masked: false }))).toThrow(WebSocketProtocolError);
    r.push(clientFrame(Opcode.text, 'fine'));
    expect(events).toEqual([]);
  });
});
