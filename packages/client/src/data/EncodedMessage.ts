/** Application messages as they go on a data channel: encoding and size checks. */
import type { JsonValue } from '@ponte/protocol';
import { PonteError } from '../errors/PonteError.js';

/** What `send` takes: a JSON value, or bytes (sent as they are). */
export type MessageData = JsonValue | ArrayBuffer | ArrayBufferView<ArrayBuffer>;

/** A frame as a data channel carries it: text, or bytes. */
export type Frame = string | ArrayBufferView<ArrayBuffer>;

const utf8 = new TextEncoder();

/**
 * An application message as it goes on the wire: bytes as they are, anything else as a JSON
 * `msg` frame. Made once per send, however many peers it goes to.
 * @internal Built by `Room.send`; apps call {@link PeerData.send}.
 */
export class EncodedMessage {
  readonly frame: Frame;
  /** The JSON value sent, for a JSON message (for the server's relay, which carries JSON). */
  readonly json: JsonValue | undefined;

  /** Throws `INVALID_MESSAGE` for what is neither a JSON value nor bytes. */
  constructor(data: MessageData) {
    this.json = undefined;
    if (data instanceof ArrayBuffer) this.frame = new Uint8Array(data);
    else if (ArrayBuffer.isView(data)) this.frame = data;
    else if (data === undefined) throw new PonteError('INVALID_MESSAGE', 'A message must be a JSON value or bytes, not undefined.');
    else {
      try {
        this.frame = JSON.stringify({ t: 'msg', data });
        this.json = data;
      } catch (cause) {
        throw new PonteError('INVALID_MESSAGE', 'A message must be a JSON value or bytes.', { cause });
      }
    }
  }
}

/**
 * Whether a frame is larger than `limit` bytes on the wire. Text is counted in UTF-8, which
 * takes at most 3 bytes per UTF-16 unit, so it is encoded to count only when it could be.
 * Returns the size found when it is larger, else null.
 */
export function bytesOver(frame: string | ArrayBuffer | ArrayBufferView, limit: number): number | null {
  const size = typeof frame !== 'string' ? frame.byteLength : frame.length * 3 <= limit ? 0 : utf8.encode(frame).length;
  return size > limit ? size : null;
}
