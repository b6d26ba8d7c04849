import type { PeerId, ServerFrame } from '@ponte/protocol';
import { allocFrameBuffer } from '../transport/bufferPool.js';

/**
 * One server frame, serialized once as UTF-8 JSON, with its type. A frame is encoded a single
 * time and the same bytes go to every recipient; the room seams carry them without reading them.
 */
export interface EncodedFrame {
  /** The frame's `type` (what the frames-out metric counts). */
  readonly type: ServerFrame['type'];
  /** The frame as UTF-8 JSON text. */
  readonly bytes: Buffer;
}

/**
 * Serializes a server frame once, for every recipient, as the JSON text a WebSocket text
 * message carries (the RFC 6455 framing around it is `transport/frame.ts`'s `encodeFrame`).
 */
export function encodeServerFrame(frame: ServerFrame): EncodedFrame {
  return { type: frame.type, bytes: Buffer.from(JSON.stringify(frame), 'utf8') };
}

const SIGNAL_FROM = Buffer.from('{"type":"signal","from":');
const DATA = Buffer.from(',"data":');
const CLOSE_BRACE = 0x7d;

/**
 * The relayed `signal` frame from `from` carrying `data`, given as the JSON text the sender
 * wrote (already validated as `SignalData`): the bytes are spliced in, not parsed and
 * serialized again. The result is the same JSON value as `encodeServerFrame` would give.
 */
export function encodeSignal(from: PeerId, data: Buffer): EncodedFrame {
  const fromJson = JSON.stringify(from);
  // One allocation, filled in place (Buffer.concat of five parts made two).
  const bytes = allocFrameBuffer(SIGNAL_FROM.length + Buffer.byteLength(fromJson) + DATA.length + data.length + 1);
  bytes.set(SIGNAL_FROM, 0);
  let at = SIGNAL_FROM.length;
  at += bytes.write(fromJson, at);
  bytes.set(DATA, at);
  at += DATA.length;
  bytes.set(data, at);
  bytes[at + data.length] = CLOSE_BRACE;
  return { type: 'signal', bytes };
}
