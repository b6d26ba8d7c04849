import { describe, expect, it } from 'vitest';
import { CHAT_MAX_LENGTH, chatMessage, parseChatMessage } from './chatMessage.js';

describe('chat messages', () => {
  it('round-trips text, markup included, as plain text', () => {
    const text = '<img src=x onerror=alert(1)> hi';
    expect(parseChatMessage(JSON.parse(JSON.stringify(chatMessage(text))))).toBe(text);
  });

  it('ignores anything else', () => {
    for (const data of [null, 'hi', [1], { kind: 'chat' }, { kind: 'chat', text: 5 }, { kind: 'file', text: 'x' }, { kind: 'chat', text: '  ' }]) {
      expect(parseChatMessage(data)).toBeNull();
    }
    expect(parseChatMessage({ kind: 'chat', text: 'x'.repeat(CHAT_MAX_LENGTH + 1) })).toBeNull();
  });
});
