/**
 * Room ids: how the app mints them and how it reads them back out of what people paste.
 * A room id is 1-64 (`LIMITS.roomIdLength`) characters of the URL-safe alphabet, the same
 * rule the server enforces.
 */
import { LIMITS } from '@ponte/client';

/** The characters of a room id. */
const ROOM_ID_ALPHABET = /^[A-Za-z0-9_-]+$/;

/** Bytes of randomness in a minted room id: 128 bits, far beyond guessing. */
const ROOM_ID_BYTES = 16;

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Fills a byte array with random values; `crypto.getRandomValues` in the browser. */
export type RandomSource = (bytes: Uint8Array) => Uint8Array;

const cryptoRandom: RandomSource = (bytes) => crypto.getRandomValues(bytes);

/** Encodes bytes as unpadded base64url (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const chunk = (b0 << 16) | (b1 << 8) | b2;
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c += 1) {
      out += BASE64URL_ALPHABET[(chunk >> (18 - 6 * c)) & 63];
    }
  }
  return out;
}

/** Mints a new, unguessable room id: 16 random bytes as base64url, 22 characters. */
export function createRoomId(random: RandomSource = cryptoRandom): string {
  return toBase64Url(random(new Uint8Array(ROOM_ID_BYTES)));
}

/** Whether `value` is a well-formed room id. */
export function isValidRoomId(value: string): boolean {
  return value.length <= LIMITS.roomIdLength && ROOM_ID_ALPHABET.test(value);
}

/** The path of a room's page. */
export function roomPath(roomId: string): string {
  return `/r/${roomId}`;
}

/** What {@link parseRoomInput} found: a room id, or why there is none. */
export type RoomInputResult = { readonly ok: true; readonly roomId: string } | { readonly ok: false; readonly reason: 'empty' | 'invalid' };

const ROOM_PATH = /^\/r\/([^/?#]+)\/?$/;

/**
 * Reads a room id out of what someone typed or pasted: a full invite link
 * (`https://host/r/<id>`), a path (`/r/<id>`), or a bare id.
 */
export function parseRoomInput(input: string): RoomInputResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const candidate = extractCandidate(text);
  if (candidate !== null && isValidRoomId(candidate)) return { ok: true, roomId: candidate };
  return { ok: false, reason: 'invalid' };
}

function extractCandidate(text: string): string | null {
  if (text.startsWith('/')) return idFromPath(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      return idFromPath(new URL(text).pathname);
    } catch {
      return null;
    }
  }
  // A link pasted without its scheme, e.g. "meet.example.com/r/abc".
  const slash = text.indexOf('/');
  if (slash > 0) return idFromPath(text.slice(slash).replace(/[?#].*$/, ''));
  return text;
}

function idFromPath(path: string): string | null {
  const match = ROOM_PATH.exec(path.replace(/[?#].*$/, ''));
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}
