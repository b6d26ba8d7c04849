import { isUtf8 } from 'node:buffer';
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
    /** The close code to send: 1002 protocol error, 1007 bad UTF-8, 1009 too big. */
    readonly closeCode: number,
  ) {
    super(message);
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

/**
 * Parses the frames a client sends (RFC 6455 §5) from socket chunks of any size, and hands
 * each whole message and control frame to a {@link FrameSink}. Strict: reserved bits,
 * unknown opcodes, unmasked frames, bad fragmentation, oversized or fragmented control
 * frames and bad close frames are protocol errors; a message over `maxPayload` bytes (all
 * fragments counted) is 1009; text that is not UTF-8 is 1007. No extensions are negotiated.
 *
 * A frame that arrives whole in one chunk (the usual case for signaling) is unmasked in
 * place and passed on without a copy.
 */
export class FrameReader {
  readonly #sink: FrameSink;
  readonly #maxPayload: number;
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
  /** The opcode of the fragmented message in progress (text or binary), or 0 for none. */
  #messageOpcode = 0;
  #fragments: Buffer[] = [];
  #messageLength = 0;
  /** Set after a close frame or an error: nothing more is read. */
  #stopped = false;

  constructor(sink: FrameSink, maxPayload: number) {
    this.#sink = sink;
    this.#maxPayload = maxPayload;
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
      this.#stop();
      throw error;
    }
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
      case Step.payload: {
        if (this.#buffered < this.#payloadLength) return false;
        const payload = this.#take(this.#payloadLength);
        unmask(payload, this.#mask);
        this.#step = Step.header;
        this.#frame(payload);
        return true;
      }
    }
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
      if (this.#messageOpcode === 0) throw new WebSocketProtocolError('continuation frame without a message', CloseCode.protocolError);
    } else if (this.#opcode === Opcode.text || this.#opcode === Opcode.binary) {
      if (this.#messageOpcode !== 0) throw new WebSocketProtocolError('new message inside a fragmented one', CloseCode.protocolError);
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
    if (this.#opcode !== Opcode.continuation) this.#messageOpcode = this.#opcode;
    if (!this.#fin) {
      this.#fragments.push(payload);
      this.#messageLength += payload.length;
      return;
    }
    let data = payload;
    if (this.#fragments.length > 0) {
      this.#fragments.push(payload);
      data = Buffer.concat(this.#fragments, this.#messageLength + payload.length);
      this.#fragments = [];
    }
    const binary = this.#messageOpcode === Opcode.binary;
    this.#messageOpcode = 0;
    this.#messageLength = 0;
    if (!binary && !isUtf8(data)) throw new WebSocketProtocolError('text message is not UTF-8', CloseCode.invalidPayload);
    this.#sink.onMessage(data, binary);
  }

  #close(payload: Buffer): void {
    this.#stop();
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

  #stop(): void {
    this.#stopped = true;
    this.#chunks = [];
    this.#offset = 0;
    this.#buffered = 0;
    this.#fragments = [];
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
    this.#buffered -= length;
    const first = this.#chunks[0]!;
    const start = this.#offset;
    if (start + length <= first.length) {
      this.#offset += length;
      if (this.#offset === first.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
      return first.subarray(start, start + length);
    }
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(chunk.length - this.#offset, length - filled);
      out.set(chunk.subarray(this.#offset, this.#offset + part), filled);
      filled += part;
      this.#offset += part;
      if (this.#offset === chunk.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    return out;
  }
}
