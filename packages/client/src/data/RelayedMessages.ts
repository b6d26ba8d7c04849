/**
 * Messages relayed by the signaling server (its `message` frame), for rooms whose media goes
 * through an SFU and that have no peer-to-peer data channels. The server carries JSON only,
 * so each message travels in an envelope: `{ json: value }`, or `{ bytes: base64 }` for
 * binary messages. Files are not relayed: they need a peer-to-peer link.
 * @module
 */
import { LIMITS, type JsonValue, type MessageFrame, type TopologyMode } from '@ponte/protocol';
import { PonteError } from '../errors/PonteError.js';
import type { PeerDataTarget } from '../topology/MediaTopology.js';
import type { EncodedMessage } from './EncodedMessage.js';
import type { FileSender } from './FileSender.js';

/**
 * What a relayed message carries: a JSON value, or bytes in base64; or, for the SDK itself,
 * a peer's notice that it now shows us through another topology (see `SwitchingTopology`).
 */
export type RelayEnvelope = { json: JsonValue } | { bytes: string } | { moved: TopologyMode };

/** The notice that we moved to `mode`, as a relayed message's `data`. */
export function movedNotice(mode: TopologyMode): { moved: TopologyMode } {
  return { moved: mode };
}

/** The topology a relayed message says its sender moved to, or undefined when it is not such a notice. */
export function movedMode(data: unknown): TopologyMode | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const moved = (data as { moved?: unknown }).moved;
  return moved === 'mesh' || moved === 'sfu' ? moved : undefined;
}

/** Sends one `message` frame through the server: to some peers (all when `to` is missing). */
export type SendRelayed = (frame: MessageFrame) => void;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** The envelope of `message`; throws `MESSAGE_TOO_LARGE` when the server would refuse it. */
export function envelopeOf(message: EncodedMessage): RelayEnvelope {
  const envelope: RelayEnvelope =
    message.json !== undefined
      ? { json: message.json }
      : { bytes: toBase64(typeof message.frame === 'string' ? new TextEncoder().encode(message.frame) : bytesOf(message.frame)) };
  const size = JSON.stringify(envelope).length;
  if (size > LIMITS.messageDataLength) {
    throw new PonteError(
      'MESSAGE_TOO_LARGE',
      `A message relayed by the server may be ${LIMITS.messageDataLength} characters of JSON at most, not ${size} (base64 grows bytes by a third).`,
    );
  }
  return envelope;
}

/** What a relayed message's `data` holds; throws `BAD_PEER_DATA` for anything but an envelope. */
export function openEnvelope(data: unknown): JsonValue | ArrayBuffer {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const record = data as Record<string, unknown>;
    if ('json' in record && record.json !== undefined) return record.json as JsonValue;
    if (typeof record.bytes === 'string') {
      try {
        return fromBase64(record.bytes);
      } catch (cause) {
        throw new PonteError('BAD_PEER_DATA', 'A relayed message carried bytes that are not base64.', { cause });
      }
    }
  }
  throw new PonteError('BAD_PEER_DATA', 'A relayed message is not in the envelope Ponte sends.');
}

/**
 * The data target of one peer when messages go through the server: messages are relayed
 * (always reliable and ordered, whatever `reliable` says); files are refused with
 * `SFU_UNSUPPORTED`.
 */
export function relayTarget(peerId: string, send: SendRelayed): PeerDataTarget {
  return {
    peerId,
    sendEncoded(message: EncodedMessage): void {
      send({ type: 'message', to: [peerId], data: envelopeOf(message) });
    },
    sendFile(): FileSender {
      throw new PonteError(
        'SFU_UNSUPPORTED',
        'Files cannot be sent while the room carries its media through an SFU (there is no peer-to-peer link).',
      );
    },
  };
}
