/**
 * Counts wrong room passwords per key (an address and a room), shared by every process that
 * admits into the rooms, so the wrong-password delay holds whichever process a guess reaches.
 * A key's failures are forgotten `forgetAfterMs` after its last one.
 */
export interface PasswordFailures {
  /** The failures remembered for `key`. */
  count(key: string): Promise<number>;
  /** Records one more failure for `key`. */
  fail(key: string): Promise<void>;
  /** Forgets the failures of `key` (a right password). */
  clear(key: string): Promise<void>;
}

/** Options of {@link MemoryPasswordFailures}. */
export interface MemoryPasswordFailuresOptions {
  /** Failures are forgotten this long after the last one, in ms. Default 15 minutes. */
  forgetAfterMs?: number;
  /** Most keys remembered; the oldest is forgotten first. Default `10000`. */
  maxEntries?: number;
  /** A millisecond clock. Default `Date.now`. */
  now?: () => number;
}

/** The embedded {@link PasswordFailures}: this process's memory, bounded by `maxEntries`. */
export class MemoryPasswordFailures implements PasswordFailures {
  readonly #options: Required<MemoryPasswordFailuresOptions>;
  // A Map keeps insertion order: re-inserting on each failure makes the first key the oldest.
  readonly #failures = new Map<string, { count: number; last: number }>();

  constructor(options: MemoryPasswordFailuresOptions = {}) {
    this.#options = { forgetAfterMs: 15 * 60_000, maxEntries: 10_000, now: Date.now, ...options };
  }

  /** @inheritDoc */
  async count(key: string): Promise<number> {
    const failures = this.#failures.get(key);
    if (failures === undefined || this.#options.now() - failures.last >= this.#options.forgetAfterMs) return 0;
    return failures.count;
  }

  /** @inheritDoc */
  async fail(key: string): Promise<void> {
    const count = (await this.count(key)) + 1;
    this.#failures.delete(key);
    this.#failures.set(key, { count, last: this.#options.now() });
    while (this.#failures.size > this.#options.maxEntries) {
      const oldest = this.#failures.keys().next().value;
      if (oldest === undefined) break;
      this.#failures.delete(oldest);
    }
  }

  /** @inheritDoc */
  async clear(key: string): Promise<void> {
    this.#failures.delete(key);
  }

  /** Number of keys remembered. */
  get size(): number {
    return this.#failures.size;
  }
}
