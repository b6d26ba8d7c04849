import type { EncodedFrame } from './EncodedFrame.js';

const EMPTY = Buffer.alloc(0);
/** A number for each frame type, for the slot table (the compiler checks that none is missing). */
const TYPE_NUMBERS: Record<EncodedFrame['type'], number> = {
  joined: 0,
  resumed: 1,
  refresh: 2,
  'peer-joined': 3,
  'peer-left': 4,
  'peer-updated': 5,
  signal: 6,
  error: 7,
  topology: 8,
  'sfu-published': 9,
  'sfu-offer': 10,
  'sfu-speaking': 11,
  message: 12,
};
const TYPES = Object.keys(TYPE_NUMBERS) as Array<EncodedFrame['type']>;
/** Numbers per slot in the slot table: stream offset, length, type. */
const SLOT = 3;
/** The smallest ring allocated, in bytes (a `peer-joined` frame is about 100). */
const MIN_RING_BYTES = 256;

/**
 * The last frames delivered to one peer, numbered from 0 in delivery order, so a peer that
 * lost its connection can say how many it received and get the rest again.
 *
 * The frames' bytes are copied into one ring buffer rather than kept as objects: a busy peer's
 * log then holds no garbage-collected objects per frame, which would otherwise each survive
 * long enough to be promoted and collected in the old generation (measured: about a sixth
 * of the relay's CPU time). The ring starts small and doubles when the last `capacity`
 * frames no longer fit, so an idle peer costs almost nothing and memory stays bounded by
 * twice the size of the largest `capacity` frames in a row.
 */
export class ReplayLog {
  #ring: Buffer = EMPTY;
  /**
   * Per held frame, at (index % capacity) × 3: where its bytes start in the stream of all
   * recorded bytes, their length, and the number of its type in TYPES. One array of numbers:
   * nothing in it for the collector to trace.
   */
  readonly #slots: number[] = [];
  /** Index the next recorded frame gets. */
  #next = 0;
  /** Bytes ever recorded: the stream offset of the next frame. */
  #written = 0;

  constructor(readonly capacity: number) {}

  /** How many frames were ever recorded. */
  get next(): number {
    return this.#next;
  }

  /** The oldest index still held. */
  get first(): number {
    return Math.max(0, this.#next - this.capacity);
  }

  /** Records one delivered frame (a copy of its bytes). */
  record(frame: EncodedFrame): void {
    const { bytes } = frame;
    // After this one is added, the frames from `keep` on must all be in the ring.
    const keep = Math.max(0, this.#next + 1 - this.capacity);
    const keptFrom = keep < this.#next ? this.#slots[(keep % this.capacity) * SLOT]! : this.#written;
    const needed = this.#written + bytes.length - keptFrom;
    if (needed > this.#ring.length) this.#grow(needed, keptFrom);
    this.#copyIn(this.#written, bytes);
    const slot = (this.#next % this.capacity) * SLOT;
    this.#slots[slot] = this.#written;
    this.#slots[slot + 1] = bytes.length;
    this.#slots[slot + 2] = TYPE_NUMBERS[frame.type];
    this.#written += bytes.length;
    this.#next += 1;
  }

  /**
   * The frames from index `received` on, with the index of the first one. A peer that
   * received more than was recorded (a log that restarted) gets none; one that fell further
   * behind than the capacity gets what is left.
   */
  since(received: number): { from: number; frames: EncodedFrame[] } {
    const from = Math.min(Math.max(received, this.first), this.#next);
    const frames: EncodedFrame[] = [];
    for (let index = from; index < this.#next; index += 1) {
      const slot = (index % this.capacity) * SLOT;
      const bytes = this.#copyOut(this.#slots[slot]!, this.#slots[slot + 1]!);
      frames.push({ type: TYPES[this.#slots[slot + 2]!]!, bytes });
    }
    return { from, frames };
  }

  /** Replaces the ring by one of at least `needed` bytes holding the stream from `keptFrom` on. */
  #grow(needed: number, keptFrom: number): void {
    let size = Math.max(MIN_RING_BYTES, this.#ring.length * 2);
    while (size < needed) size *= 2;
    const kept = this.#copyOut(keptFrom, this.#written - keptFrom);
    // Not from Node's shared pool: a long-lived slice would pin a whole 8 KiB pool block.
    this.#ring = Buffer.allocUnsafeSlow(size);
    this.#copyIn(keptFrom, kept);
  }

  /** Writes `bytes` at stream offset `offset`, wrapping around the end of the ring. */
  #copyIn(offset: number, bytes: Buffer): void {
    if (bytes.length === 0) return;
    const at = offset % this.#ring.length;
    const head = Math.min(bytes.length, this.#ring.length - at);
    bytes.copy(this.#ring, at, 0, head);
    if (head < bytes.length) bytes.copy(this.#ring, 0, head);
  }

  /** A copy of `length` bytes from stream offset `offset`. */
  #copyOut(offset: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    if (length === 0) return out;
    const at = offset % this.#ring.length;
    const head = Math.min(length, this.#ring.length - at);
    this.#ring.copy(out, 0, at, at + head);
    if (head < length) this.#ring.copy(out, head, 0, length - head);
    return out;
  }
}
