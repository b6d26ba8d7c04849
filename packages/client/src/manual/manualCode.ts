/**
 * The copy-and-paste code of manual signaling: one session description, with every ICE
 * candidate inside it, as a short URL-safe string that people can send each other by chat,
 * mail or QR code.
 *
 * Format (version 1): `ponte1.` then base64url (no padding) of
 *
 * | bytes | content |
 * | --- | --- |
 * | 1 | role: `o` (offer) or `a` (answer) |
 * | 4 | creation time, Unix seconds, big-endian |
 * | 4 | for an answer, the {@link offerFingerprint} of the offer it answers; 0 for an offer |
 * | 2 | length N of the body, big-endian |
 * | N | body: the SDP shrunk by the token table of sdpTokens.ts, then `deflate-raw` |
 * | 4 | CRC-32 of the version byte (1) and every byte above |
 *
 * The explicit length tells a cut-off code ("truncated") from a damaged one ("garbled").
 * Decoding never throws: it returns a typed result, so a bad paste is a message, not a
 * console error.
 */
import { crc32 } from './crc32.js';
import { PonteError } from '../errors/PonteError.js';
import { canTokenizeSdp, detokenizeSdp, tokenizeSdp } from './sdpTokens.js';

/** The code format version written by {@link encodeManualCode}. */
export const MANUAL_CODE_VERSION = 1;
/** How old a code may be before {@link decodeManualCode} calls it stale, in ms: 15 minutes. */
export const DEFAULT_MANUAL_CODE_MAX_AGE_MS = 15 * 60_000;
/** The largest SDP a code may carry (encoded or decoded), in bytes: 64 KiB. */
export const DEFAULT_MANUAL_CODE_MAX_SDP_BYTES = 64 * 1024;

/** Which half of the exchange a code carries. */
export type ManualCodeRole = 'offer' | 'answer';

/**
 * Why a code was refused:
 * - `empty`: nothing was pasted.
 * - `truncated`: part of the code is missing (it was cut off while copying).
 * - `garbled`: the code is damaged, or not a Ponte code at all.
 * - `wrong-role`: an offer code where an answer code is expected, or the reverse.
 * - `stale`: older than the allowed age; its sender has probably moved on.
 * - `other-offer`: an answer to a different offer than ours (e.g. an older one).
 * - `unsupported-version`: made by a newer or older Ponte with another code format.
 */
export type ManualCodeProblem = 'empty' | 'truncated' | 'garbled' | 'wrong-role' | 'stale' | 'other-offer' | 'unsupported-version';

/** What a code carries. */
export interface ManualCodeContent {
  role: ManualCodeRole;
  /** The complete session description (candidates included). */
  sdp: string;
  /** When the code was made, in ms since the epoch (whole seconds). */
  createdAt: number;
  /** For an answer: the {@link offerFingerprint} of the offer it answers. */
  offer?: number;
}

/** The outcome of {@link decodeManualCode}. */
export type ManualCodeResult =
  { ok: true; version: number; content: ManualCodeContent } | { ok: false; problem: ManualCodeProblem; error: PonteError };

/** What {@link decodeManualCode} checks beyond the format. */
export interface DecodeManualCodeOptions {
  /** The role the caller expects; another is refused with `wrong-role`. */
  expectedRole?: ManualCodeRole;
  /** For an answer: the fingerprint of our offer; an answer to another is `other-offer`. */
  offer?: number;
  /** Oldest accepted code age in ms. Default {@link DEFAULT_MANUAL_CODE_MAX_AGE_MS}. */
  maxAgeMs?: number;
  /** Largest accepted SDP in bytes. Default {@link DEFAULT_MANUAL_CODE_MAX_SDP_BYTES}. */
  maxSdpBytes?: number;
  /** The current time in ms (injectable for tests). Default `Date.now()`. */
  now?: number;
}

const PREFIX = 'ponte';
const HEADER_BYTES = 11;
const CHECKSUM_BYTES = 4;
const ROLE_BYTES: Record<ManualCodeRole, number> = { offer: 0x6f, answer: 0x61 };
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const MESSAGES: Record<ManualCodeProblem, string> = {
  empty: 'No code was given.',
  truncated: 'The code is incomplete: its end is missing.',
  garbled: 'The code is damaged or is not a Ponte code.',
  'wrong-role': 'This is not the kind of code expected here.',
  stale: 'The code is too old.',
  'other-offer': 'This answer was made for a different offer.',
  'unsupported-version': 'The code was made by a different version of Ponte.',
};

function refuse(problem: ManualCodeProblem, detail?: string, cause?: unknown): ManualCodeResult {
  const message = detail ? `${MESSAGES[problem]} ${detail}` : MESSAGES[problem];
  return { ok: false, problem, error: new PonteError('BAD_CODE', message, { reason: problem, cause }) };
}

/**
 * A short fingerprint of an offer's SDP (its CRC-32). An answer code carries it, so the
 * caller can tell an answer to its current offer from one to an earlier attempt.
 */
export function offerFingerprint(sdp: string): number {
  return crc32(new TextEncoder().encode(sdp));
}

/**
 * Encodes `content` as a code. Rejects with `BAD_CODE` only when the SDP is larger than
 * `maxSdpBytes` (default {@link DEFAULT_MANUAL_CODE_MAX_SDP_BYTES}).
 */
export async function encodeManualCode(content: ManualCodeContent, maxSdpBytes = DEFAULT_MANUAL_CODE_MAX_SDP_BYTES): Promise<string> {
  const plain = new TextEncoder().encode(content.sdp);
  if (plain.byteLength > maxSdpBytes) {
    throw new PonteError('BAD_CODE', `The session description is larger than ${maxSdpBytes} bytes.`);
  }
  // Browsers never put the token mark (a control character) in SDP; one that does cannot
  // be shrunk losslessly, so it is refused rather than changed.
  if (!canTokenizeSdp(content.sdp)) throw new PonteError('BAD_CODE', 'The session description holds control characters.');
  let body: Uint8Array;
  try {
    body = await transform(new TextEncoder().encode(tokenizeSdp(content.sdp)), new CompressionStream('deflate-raw'), 0xffff);
  } catch (cause) {
    throw new PonteError('BAD_CODE', 'The session description does not fit in a code.', { cause });
  }
  const bytes = new Uint8Array(HEADER_BYTES + body.byteLength + CHECKSUM_BYTES);
  const view = new DataView(bytes.buffer);
  bytes[0] = ROLE_BYTES[content.role];
  view.setUint32(1, Math.floor(content.createdAt / 1000));
  view.setUint32(5, content.role === 'answer' ? (content.offer ?? 0) : 0);
  view.setUint16(9, body.byteLength);
  bytes.set(body, HEADER_BYTES);
  view.setUint32(bytes.byteLength - CHECKSUM_BYTES, checksum(bytes.subarray(0, bytes.byteLength - CHECKSUM_BYTES)));
  return `${PREFIX}${MANUAL_CODE_VERSION}.${toBase64Url(bytes)}`;
}

/**
 * Decodes a pasted code. Whitespace anywhere is ignored (mail and chat apps wrap long
 * lines). Never throws: every problem is a `{ ok: false }` result whose `error` is a
 * `BAD_CODE` {@link PonteError} with the problem as its `reason`.
 */
export async function decodeManualCode(input: string, options: DecodeManualCodeOptions = {}): Promise<ManualCodeResult> {
  try {
    return await decode(input, options);
  } catch (cause) {
    return refuse('garbled', undefined, cause);
  }
}

async function decode(input: string, options: DecodeManualCodeOptions): Promise<ManualCodeResult> {
  const code = input.replace(/\s+/g, '');
  if (!code) return refuse('empty');
  const match = /^ponte(\d+)\./i.exec(code);
  if (!match) {
    const looksCut = `${PREFIX}${MANUAL_CODE_VERSION}.`.startsWith(code.toLowerCase());
    return refuse(looksCut ? 'truncated' : 'garbled');
  }
  const version = Number(match[1]);
  if (version !== MANUAL_CODE_VERSION) {
    const newer = version > MANUAL_CODE_VERSION ? 'a newer' : 'an older';
    return refuse('unsupported-version', `It uses format ${version}, made by ${newer} Ponte; this page reads format ${MANUAL_CODE_VERSION}.`);
  }
  const text = code.slice(match[0].length);
  if (!BASE64URL.test(text)) return refuse('garbled');
  const bytes = fromBase64Url(text);
  if (bytes.byteLength < HEADER_BYTES + CHECKSUM_BYTES) return refuse('truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expectedLength = HEADER_BYTES + view.getUint16(9) + CHECKSUM_BYTES;
  if (bytes.byteLength < expectedLength) return refuse('truncated');
  if (bytes.byteLength > expectedLength) return refuse('garbled', 'It is longer than it should be.');
  const signed = bytes.subarray(0, expectedLength - CHECKSUM_BYTES);
  if (view.getUint32(expectedLength - CHECKSUM_BYTES) !== checksum(signed)) return refuse('garbled');

  const role = bytes[0] === ROLE_BYTES.offer ? 'offer' : bytes[0] === ROLE_BYTES.answer ? 'answer' : null;
  if (!role) return refuse('garbled');
  const maxSdpBytes = options.maxSdpBytes ?? DEFAULT_MANUAL_CODE_MAX_SDP_BYTES;
  const body = await transform(bytes.subarray(HEADER_BYTES, expectedLength - CHECKSUM_BYTES), new DecompressionStream('deflate-raw'), maxSdpBytes);
  const sdp = detokenizeSdp(new TextDecoder('utf-8', { fatal: true }).decode(body));
  if (sdp === null || !sdp.startsWith('v=0') || sdp.length > maxSdpBytes) return refuse('garbled');

  if (options.expectedRole && role !== options.expectedRole) {
    return refuse(
      'wrong-role',
      `It is ${role === 'offer' ? 'an offer' : 'an answer'} code; ${options.expectedRole === 'offer' ? 'an offer' : 'an answer'} code is needed.`,
    );
  }
  const createdAt = view.getUint32(1) * 1000;
  const now = options.now ?? Date.now();
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MANUAL_CODE_MAX_AGE_MS;
  if (now - createdAt > maxAgeMs) {
    return refuse(
      'stale',
      `It was made ${Math.round((now - createdAt) / 60_000)} minutes ago; codes are valid for ${Math.round(maxAgeMs / 60_000)} minutes.`,
    );
  }
  const offer = role === 'answer' ? view.getUint32(5) : undefined;
  if (offer !== undefined && options.offer !== undefined && offer !== options.offer) return refuse('other-offer');
  const content: ManualCodeContent = offer === undefined ? { role, sdp, createdAt } : { role, sdp, createdAt, offer };
  return { ok: true, version, content };
}

/** CRC-32 over the format version and `bytes`, so a code never verifies under another version. */
function checksum(bytes: Uint8Array): number {
  const versioned = new Uint8Array(bytes.byteLength + 1);
  versioned[0] = MANUAL_CODE_VERSION;
  versioned.set(bytes, 1);
  return crc32(versioned);
}

/**
 * Runs `input` through a compression stream, stopping (and rejecting) once the output
 * passes `limit` bytes, so a hostile code cannot inflate into a huge string.
 */
async function transform(input: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // The reader reports any failure; these promises would otherwise reject unobserved.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel().catch(() => undefined);
      throw new RangeError(`decoded data is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const output = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    output.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return output;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url; a dangling last character (a cut inside a group) is dropped. */
function fromBase64Url(text: string): Uint8Array {
  const whole = text.length % 4 === 1 ? text.slice(0, -1) : text;
  const padded = whole.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (whole.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
