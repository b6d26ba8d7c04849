import { describe, expect, it } from 'vitest';
import { readChannelMessage } from '../src/RedisPeerBus.js';
import { readLogEntry, writeLogEntry } from '../src/logEntry.js';

// The formats the scripts build from what Node wrote (scripts.ts `send`): a log entry is
// `<type>\n<bytes>`; a channel message is `<peer>\n<index>\n` and the entry.
describe('log entries and channel messages', () => {
  const frame = { type: 'signal' as const, bytes: Buffer.from('{"type":"signal","data":"a\\nb"}') };

  it('reads back the entry it wrote, with newlines in the bytes kept', () => {
    expect(readLogEntry(writeLogEntry(frame))).toEqual(frame);
  });

  it('reads a channel message: the peer, its log index, and the frame', () => {
    const message = Buffer.concat([Buffer.from('peer-é\n7\n'), writeLogEntry(frame)]);
    expect(readChannelMessage(message)).toEqual({ peerId: 'peer-é', logged: 7, frame });
  });

  it('reads index -1 (not logged) and a superseded notice', () => {
    expect(readChannelMessage(Buffer.from('p\n-1\nsuperseded\n42'))).toEqual({
      peerId: 'p',
      logged: undefined,
      frame: { type: 'superseded', bytes: Buffer.from('42') },
    });
  });

  it('refuses a message that is not one', () => {
    for (const text of ['', 'p', 'p\n3', 'p\n3\nno-type-line']) expect(readChannelMessage(Buffer.from(text))).toBeUndefined();
    expect(readChannelMessage(Buffer.from('p\nx\nsignal\n{}'))?.logged).toBeUndefined();
  });
});
