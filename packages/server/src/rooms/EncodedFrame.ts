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
const MESSAGE_FROM = Buffer.from('{"type":"message","from":');
const DATA = Buffer.from(',"data":');
const CLOSE_BRACE = 0x7d;

/**
 * The relayed `signal` frame from `from` carrying `data`, given as the JSON text the sender
 * wrote (already validated as `SignalData`): the bytes are spliced in, not parsed and
 * serialized again. The result is the same JSON value as `encodeServerFrame` would give.
 */
export function encodeSignal(from: PeerId, data: Buffer): EncodedFrame {
  return { type: 'signal', bytes: spliceRelayed(SIGNAL_FROM, from, data) };
}

/** The relayed `message` frame from `from` carrying `data` (validated JSON text), spliced like {@link encodeSignal}. */
export function encodeMessage(from: PeerId, data: Buffer): EncodedFrame {
  return { type: 'message', bytes: spliceRelayed(MESSAGE_FROM, from, data) };
}

/** `<head><from JSON>,"data":<data>}` in one allocation, filled in place (Buffer.concat of five parts made two). */
function spliceRelayed(head: Buffer, from: PeerId, data: Buffer): Buffer {
  const fromJson = JSON.stringify(from);
  const bytes = allocFrameBuffer(head.length + Buffer.byteLength(fromJson) + DATA.length + data.length + 1);
  bytes.set(head, 0);
  let at = head.length;
  at += bytes.write(fromJson, at);
  bytes.set(DATA, at);
  at += DATA.length;
  bytes.set(data, at);
  bytes[at + data.length] = CLOSE_BRACE;
  return bytes;
}
