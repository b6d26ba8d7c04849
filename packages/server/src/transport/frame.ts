/**
 * RFC 6455 framing for the server side: the opcodes, the close codes Ponte uses, building an
 * unmasked frame and unmasking a client's payload.
 */
import { allocFrameBuffer } from './bufferPool.js';

/** Frame opcodes (RFC 6455 §5.2). */
export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Close codes (RFC 6455 §7.4.1) the server sends or reports. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  /** Reported when a close frame carried no code; never sent. */
  noStatus: 1005,
  /** Reported when the connection dropped without a close frame; never sent. */
  abnormal: 1006,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  /** Handling what the client sent failed unexpectedly. */
  internalError: 1011,
  /** The server is restarting (draining): reconnect, to another process, and resume. */
  serviceRestart: 1012,
} as const;

/** Whether `code` may appear in a close frame (RFC 6455 §7.4; 1004-1006 and 1015 may not). */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** A payload of no bytes (never written to). */
export const EMPTY_PAYLOAD = Buffer.alloc(0);

/** Largest payload of a control frame (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125;

/** Bytes of header before a payload of `length` bytes in an unmasked frame. */
function headerLength(length: number): number {
  return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
}

/**
 * One final, unmasked frame of `opcode` carrying `payload`, header and payload in one
 * buffer so that it leaves in a single write.
 */
export function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length;
  const offset = headerLength(length);
  const frame = allocFrameBuffer(offset + length);
  frame[0] = 0x80 | opcode;
  if (offset === 2) {
    frame[1] = length;
  } else if (offset === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.set(payload, offset);
  return frame;
}

/** The payload of a close frame: the code, then `reason` (short ASCII text; cut to fit a control frame). */
export function closePayload(code: number, reason: string): Buffer {
  const payload = Buffer.allocUnsafe(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  const written = payload.write(reason, 2);
  return payload.subarray(0, Math.min(2 + written, MAX_CONTROL_PAYLOAD));
}

// Scratch for unmasking four bytes at a time in the machine's byte order.
const maskBytes = new Uint8Array(4);
const maskWord = new Int32Array(maskBytes.buffer);

/**
 * XORs `data` in place with the client's masking key (RFC 6455 §5.3), given as the four key
 * bytes read as one big-endian number. Four bytes at a time over the aligned middle: a byte
 * loop over a 4 KB SDP costs several microseconds per frame.
 */
export function unmask(data: Uint8Array, key: number): void {
  const length = data.length;
  // Bytes before the first 4-byte-aligned address, one at a time.
  const head = Math.min(length, (4 - (data.byteOffset & 3)) & 3);
  // The key rotated to line up with the aligned words.
  for (let k = 0; k < 4; k++) maskBytes[k] = key >>> (24 - 8 * ((head + k) & 3));
  let i = 0;
  for (; i < head; i++) data[i] = data[i]! ^ (key >>> (24 - 8 * (i & 3)));
  const words = (length - head) >>> 2;
  if (words > 0) {
    const word = maskWord[0]!;
    const aligned = new Int32Array(data.buffer, data.byteOffset + head, words);
    for (let w = 0; w < words; w++) aligned[w] = aligned[w]! ^ word;
    i += words * 4;
  }
  for (; i < length; i++) data[i] = data[i]! ^ (key >>> (24 - 8 * (i & 3)));
}
