import { describe, expect, it } from 'vitest';
import { parseChatMessage } from './ChatChannel.js';
import type { JsonValue } from '@ponte/protocol';

describe('parseChatMessage', () => {
  it('accepts chat messages and drops anything else', () => {
    expect(parseChatMessage({ type: 'chat', text: 'hello <b>', at: 5 })).toEqual({ text: 'hello <b>', sentAt: 5 });
    const bad: JsonValue[] = [
      '',
      'chat',
      7,
      null,
      [1],
      { type: 'chat', text: '', at: 5 },
      { type: 'file', text: 'x', at: 5 },
      { type: 'chat', text: 7, at: 5 },
      { type: 'chat', text: 'x' },
    ];
    for (const data of bad) expect(parseChatMessage(data), JSON.stringify(data)).toBeNull();
    expect(parseChatMessage(new ArrayBuffer(4))).toBeNull();
    expect(parseChatMessage({ type: 'chat', text: 'x'.repeat(11), at: 1 }, 10)).toBeNull();
  });
});
