import { describe, expect, it } from 'vitest';
import { createRoomId, isValidRoomId, parseRoomInput, toBase64Url } from './roomId.js';

/** The platform's base64, made URL-safe, as an independent reference. */
function referenceBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

describe('toBase64Url', () => {
  it('matches the standard base64url encoding without padding', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 16, 31]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + 251) & 255);
      expect(toBase64Url(bytes)).toBe(referenceBase64Url(bytes));
    }
  });
});

describe('createRoomId', () => {
  it('mints 22 characters of the URL-safe alphabet', () => {
    for (let i = 0; i < 50; i += 1) {
      const id = createRoomId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(isValidRoomId(id)).toBe(true);
    }
  });

  it('uses 16 bytes from the random source', () => {
    const seen: number[] = [];
    const id = createRoomId((bytes) => {
      seen.push(bytes.length);
      return bytes.fill(255);
    });
    expect(seen).toEqual([16]);
    expect(id).toBe('_____________________w');
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => createRoomId()));
    expect(ids.size).toBe(1000);
  });
});

describe('isValidRoomId', () => {
  it('accepts 1-64 URL-safe characters and nothing else', () => {
    expect(isValidRoomId('a')).toBe(true);
    expect(isValidRoomId('A-z_0'.repeat(12) + 'abcd')).toBe(true);
    expect(isValidRoomId('a'.repeat(65))).toBe(false);
    expect(isValidRoomId('')).toBe(false);
    expect(isValidRoomId('has space')).toBe(false);
    expect(isValidRoomId('slash/')).toBe(false);
    expect(isValidRoomId('ünïcode')).toBe(false);
  });
});

describe('parseRoomInput', () => {
  it('reads a bare id', () => {
    expect(parseRoomInput('  abc_DEF-123  ')).toEqual({ ok: true, roomId: 'abc_DEF-123' });
  });

  it('reads a full invite link', () => {
    expect(parseRoomInput('https://meet.example.com/r/Xy_9-z')).toEqual({ ok: true, roomId: 'Xy_9-z' });
    expect(parseRoomInput('http://localhost:5173/r/abc/?x=1#top')).toEqual({ ok: true, roomId: 'abc' });
  });

  it('reads a path or a link without its scheme', () => {
    expect(parseRoomInput('/r/abc')).toEqual({ ok: true, roomId: 'abc' });
    expect(parseRoomInput('meet.example.com/r/abc')).toEqual({ ok: true, roomId: 'abc' });
  });

  it('says when the input is empty', () => {
    expect(parseRoomInput('   ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('rejects links that are not room links and ids with bad characters', () => {
    for (const input of [
      'https://meet.example.com/',
      'https://meet.example.com/x/abc',
      'https://meet.example.com/r/abc/extra',
      'https://meet.example.com/r/a%20b',
      'not a room',
      'a'.repeat(65),
      'javascript:alert(1)',
    ]) {
      expect(parseRoomInput(input), input).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});
