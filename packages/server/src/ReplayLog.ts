import type { EncodedFrame } from './RoomAdapter.js';

/**
 * The last frames delivered to one peer, numbered from 0 in delivery order, so a peer that
 * lost its connection can say how many it received and get the rest again. A ring buffer
 * that grows as frames come (an idle peer costs nothing): recording is O(1) and memory is
 * bounded by `capacity`.
 */
export class ReplayLog {
  readonly #frames: EncodedFrame[] = [];
  /** Index the next recorded frame gets. */
  #next = 0;

  constructor(readonly capacity: number) {}

  /** How many frames were ever recorded. */
  get next(): number {
    return this.#next;
  }

  /** The oldest index still held. */
  get first(): number {
    return Math.max(0, this.#next - this.capacity);
  }

  /** Records one delivered frame. */
  record(frame: EncodedFrame): void {
    if (this.#frames.length < this.capacity) this.#frames.push(frame);
    else this.#frames[this.#next % this.capacity] = frame;
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
      const frame = this.#frames[index % this.capacity];
      if (frame !== undefined) frames.push(frame);
    }
    return { from, frames };
  }
}
