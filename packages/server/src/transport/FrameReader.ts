import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { CloseCode, EMPTY_PAYLOAD, isSendableCloseCode, MAX_CONTROL_PAYLOAD, Opcode, unmask } from './frame.js';

/** What a {@link FrameReader} found in the bytes it was given. */
export interface FrameSink {
  /** A whole message (its fragments joined, unmasked; text checked to be UTF-8). */
  onMessage(data: Buffer, binary: boolean): void;
  onPing(payload: Buffer): void;
  onPong(): void;
  /** A close frame: its code ({@link CloseCode.noStatus} when it had none) and reason. */
  onClose(code: number, reason: string): void;
}

/** The client broke RFC 6455 or a limit; the connection must be closed with `closeCode`. */
export class WebSocketProtocolError extends Error {
  constructor(
    message: string,
    /** The close code to send: 1002 protocol error, 1007 bad UTF-8, 1008 policy, 1009 too big, 1011 internal. */
    readonly closeCode: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'WebSocketProtocolError';
  }
}

/** Where the reader is within the current frame. */
const enum Step {
  header,
  extendedLength,
  mask,
  payload,
}

/** The limits a {@link FrameReader} enforces on each message. */
export interface FrameReaderLimits {
  /**
   * Largest message in bytes, its fragments counted together; larger is 1009. It also bounds
   * what an incomplete message or frame can make the reader hold.
   */
  maxPayload: number;
  /** Most frames one message may be split into; more is 1009. */
  maxFragments: number;
}

/**
 * Parses the frames a client sends (RFC 6455 §5) from socket chunks of any size, and hands
 * each whole message and control frame to a {@link FrameSink}. Strict: reserved bits,
 * unknown opcodes, unmasked frames, bad fragmentation, oversized or fragmented control
 * frames and bad close frames are protocol errors (1002); a message over `maxPayload` bytes
 * (all fragments counted) or in more than `maxFragments` frames is 1009; text that is not
 * UTF-8 is 1007, found in the fragment that breaks it. No extensions are negotiated.
 *
 * What one connection can make the reader hold is bounded by its limits: a frame whose
 * payload is still arriving is gathered into one buffer of its size (not kept as the many
 * small chunks a trickling client sends), and the fragments of a message are copied into one
 * buffer of at most `maxPayload` bytes (not kept as views of the chunks they came in).
 *
 * A frame that arrives whole in one chunk (the usual case for signaling) is unmasked in
 * place and passed on without a copy.
 */
export class FrameReader {
  readonly #sink: FrameSink;
  readonly #maxPayload: number;
  readonly #maxFragments: number;
  /** Received bytes not yet consumed, oldest first; the first from {@link #offset} on. */
  #chunks: Buffer[] = [];
  #offset = 0;
  /** Bytes in {@link #chunks} not yet consumed. */
  #buffered = 0;
  #step = Step.header;
  #fin = false;
  #opcode = 0;
  #payloadLength = 0;
  /** The frame's masking key, its four bytes as one big-endian number. */
  #mask = 0;
  /** The payload of the current frame while it arrives in pieces, and how much of it came. */
  #partial: Buffer | undefined;
  #partialFilled = 0;
  /** Frames of the message in progress so far (0 between messages). */
  #fragmentCount = 0;
  /** The opcode of the message in progress (text or binary). */
  #messageOpcode = 0;
  /** The fragments of a fragmented message so far, copied together; {@link #messageLength} bytes used. */
  #message: Buffer | undefined;
  #messageLength = 0;
  /** Checks a fragmented text message's UTF-8 as its fragments arrive. */
  #utf8: TextDecoder | undefined;
  /** Set after a close frame or an error: nothing more is read. */
  #stopped = false;

  constructor(sink: FrameSink, limits: FrameReaderLimits) {
    this.#sink = sink;
    this.#maxPayload = limits.maxPayload;
    this.#maxFragments = limits.maxFragments;
  }

  /**
   * Takes the next bytes from the socket; the reader owns `chunk` from now on (payloads are
   * unmasked in place and handed on as views of it). Throws {@link WebSocketProtocolError} when they
   * break the protocol; after that, and after a close frame, further bytes are ignored.
   */
  push(chunk: Buffer): void {
    if (this.#stopped || chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    try {
      while (!this.#stopped && this.#advance());
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  /** Reads nothing more: later bytes are ignored, and what was held is let go. */
  stop(): void {
    this.#stopped = true;
    this.#chunks = [];
    this.#offset = 0;
    this.#buffered = 0;
    this.#partial = undefined;
    this.#message = undefined;
    this.#utf8 = undefined;
  }

  /** Parses one step if its bytes are in; returns whether it did. */
  #advance(): boolean {
    switch (this.#step) {
      case Step.header:
        if (this.#buffered < 2) return false;
        this.#header(this.#readUInt(2));
        return true;
      case Step.extendedLength: {
        const size = this.#payloadLength === 126 ? 2 : 8;
        if (this.#buffered < size) return false;
        if (size === 2) {
          this.#payloadLength = this.#readUInt(2);
        } else {
          const high = this.#readUInt(4);
          const low = this.#readUInt(4);
          // 2^53 and up cannot be a length here; any high word over the limit is too big anyway.
          this.#payloadLength = high > 0x1fffff ? Infinity : high * 2 ** 32 + low;
        }
        this.#checkLength();
        this.#step = Step.mask;
        return true;
      }
      case Step.mask:
        if (this.#buffered < 4) return false;
        this.#mask = this.#readUInt(4);
        this.#step = Step.payload;
        return true;
      case Step.payload:
        return this.#payload();
    }
  }

  /** The payload step: hands on the frame once all of its bytes are in. */
  #payload(): boolean {
    const missing = this.#payloadLength - this.#partialFilled;
    if (this.#buffered < missing) {
      // Gathered as it comes: a payload trickled in many small chunks holds only its own bytes.
      if (this.#buffered > 0) {
        this.#partial ??= Buffer.allocUnsafe(this.#payloadLength);
        const moved = this.#buffered;
        this.#moveInto(this.#partial, this.#partialFilled, moved);
        this.#partialFilled += moved;
      }
      return false;
    }
    let payload: Buffer;
    if (this.#partial === undefined) {
      payload = this.#take(this.#payloadLength);
    } else {
      payload = this.#partial;
      this.#moveInto(payload, this.#partialFilled, missing);
      this.#partial = undefined;
      this.#partialFilled = 0;
    }
    unmask(payload, this.#mask);
    this.#step = Step.header;
    this.#frame(payload);
    return true;
  }

  /** The frame's first two bytes, as one big-endian number. */
  #header(bytes: number): void {
    const first = bytes >>> 8;
    const second = bytes & 0xff;
    if ((first & 0x70) !== 0) throw new WebSocketProtocolError('reserved bits set (no extension was negotiated)', CloseCode.protocolError);
    if ((second & 0x80) === 0) throw new WebSocketProtocolError('client frame not masked', CloseCode.protocolError);
    this.#fin = (first & 0x80) !== 0;
    this.#opcode = first & 0x0f;
    this.#payloadLength = second & 0x7f;
    if (this.#opcode >= Opcode.close) {
      if (this.#opcode > Opcode.pong) throw new WebSocketProtocolError(`unknown opcode ${this.#opcode}`, CloseCode.protocolError);
      if (!this.#fin) throw new WebSocketProtocolError('fragmented control frame', CloseCode.protocolError);
      if (this.#payloadLength > MAX_CONTROL_PAYLOAD) throw new WebSocketProtocolError('control frame over 125 bytes', CloseCode.protocolError);
    } else if (this.#opcode === Opcode.continuation) {
      if (this.#fragmentCount === 0) throw new WebSocketProtocolError('continuation frame without a message', CloseCode.protocolError);
      // Counted at the header: empty fragments add no bytes, but each one costs work.
      if (++this.#fragmentCount > this.#maxFragments) {
        throw new WebSocketProtocolError(`message in more than ${this.#maxFragments} fragments`, CloseCode.messageTooBig);
      }
    } else if (this.#opcode === Opcode.text || this.#opcode === Opcode.binary) {
      if (this.#fragmentCount !== 0) throw new WebSocketProtocolError('new message inside a fragmented one', CloseCode.protocolError);
      this.#messageOpcode = this.#opcode;
      this.#fragmentCount = 1;
    } else {
      throw new WebSocketProtocolError(`unknown opcode ${this.#opcode}`, CloseCode.protocolError);
    }
    if (this.#payloadLength >= 126) {
      this.#step = Step.extendedLength;
    } else {
      this.#checkLength();
      this.#step = Step.mask;
    }
  }

  /** A data frame's length, with the message's earlier fragments, must fit `maxPayload`. */
  #checkLength(): void {
    if (this.#opcode < Opcode.close && this.#messageLength + this.#payloadLength > this.#maxPayload) {
      throw new WebSocketProtocolError(`message over ${this.#maxPayload} bytes`, CloseCode.messageTooBig);
    }
  }

  #frame(payload: Buffer): void {
    switch (this.#opcode) {
      case Opcode.ping:
        this.#sink.onPing(payload);
        return;
      case Opcode.pong:
        this.#sink.onPong();
        return;
      case Opcode.close:
        this.#close(payload);
        return;
    }
    const text = this.#messageOpcode === Opcode.text;
    if (this.#fin && this.#fragmentCount === 1) {
      // A message in one frame, the usual case: checked whole, handed on as it is.
      this.#fragmentCount = 0;
      if (text && !isUtf8(payload)) throw new WebSocketProtocolError('text message is not UTF-8', CloseCode.invalidPayload);
      this.#sink.onMessage(payload, !text);
      return;
    }
    if (text) this.#checkUtf8Fragment(payload);
    this.#append(payload);
    if (!this.#fin) return;
    const data = this.#message === undefined ? EMPTY_PAYLOAD : this.#message.subarray(0, this.#messageLength);
    this.#message = undefined;
    this.#messageLength = 0;
    this.#fragmentCount = 0;
    this.#sink.onMessage(data, !text);
  }

  /** Checks a text fragment as soon as it arrives: a sequence may continue into the next one. */
  #checkUtf8Fragment(payload: Buffer): void {
    const decoder = (this.#utf8 ??= new TextDecoder('utf-8', { fatal: true }));
    try {
      decoder.decode(payload, { stream: !this.#fin });
    } catch {
      throw new WebSocketProtocolError('text message is not UTF-8', CloseCode.invalidPayload);
    }
  }

  /** Copies a fragment to the end of the message, growing its buffer by doubling up to `maxPayload`. */
  #append(payload: Buffer): void {
    if (payload.length === 0) return;
    const needed = this.#messageLength + payload.length;
    if (this.#message === undefined || this.#message.length < needed) {
      const grown = Buffer.allocUnsafe(Math.min(this.#maxPayload, Math.max(needed, 2 * (this.#message?.length ?? 512))));
      if (this.#message !== undefined) this.#message.copy(grown, 0, 0, this.#messageLength);
      this.#message = grown;
    }
    payload.copy(this.#message, this.#messageLength);
    this.#messageLength = needed;
  }

  #close(payload: Buffer): void {
    this.stop();
    if (payload.length === 0) {
      this.#sink.onClose(CloseCode.noStatus, '');
      return;
    }
    if (payload.length === 1) throw new WebSocketProtocolError('close frame of one byte', CloseCode.protocolError);
    const code = payload.readUInt16BE(0);
    if (!isSendableCloseCode(code)) throw new WebSocketProtocolError(`invalid close code ${code}`, CloseCode.protocolError);
    const reason = payload.subarray(2);
    if (!isUtf8(reason)) throw new WebSocketProtocolError('close reason is not UTF-8', CloseCode.invalidPayload);
    this.#sink.onClose(code, reason.toString());
  }

  /** Removes the next `length` (at most 4) buffered bytes and returns them as a big-endian number. */
  #readUInt(length: number): number {
    this.#buffered -= length;
    let value = 0;
    for (let i = 0; i < length; i++) {
      const chunk = this.#chunks[0]!;
      value = value * 256 + chunk[this.#offset++]!;
      if (this.#offset === chunk.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    return value;
  }

  /** Removes and returns the next `length` buffered bytes (a view when they sit in one chunk). */
  #take(length: number): Buffer {
    if (length === 0) return EMPTY_PAYLOAD;
    const first = this.#chunks[0]!;
    const start = this.#offset;
    if (start + length <= first.length) {
      this.#buffered -= length;
      this.#offset += length;
      if (this.#offset === first.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
      return first.subarray(start, start + length);
    }
    const out = Buffer.allocUnsafe(length);
    this.#moveInto(out, 0, length);
    return out;
  }

  /** Removes the next `length` buffered bytes, copying them into `target` from `at` on. */
  #moveInto(target: Buffer, at: number, length: number): void {
    this.#buffered -= length;
    let filled = 0;
    while (filled < length) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(chunk.length - this.#offset, length - filled);
      target.set(chunk.subarray(this.#offset, this.#offset + part), at + filled);
      filled += part;
      this.#offset += part;
      if (this.#offset === chunk.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
  }
}
