/** Options of a {@link PasswordThrottle}. */
export interface PasswordThrottleOptions {
  /** Failures answered without delay. */
  freeAttempts: number;
  /** The first delay after the free attempts, in milliseconds; it doubles with each failure. */
  delayMs: number;
  /** The longest delay, in milliseconds. */
  maxDelayMs: number;
  /** Failures are forgotten this long after the last one, in milliseconds. Default 15 minutes. */
  forgetAfterMs?: number;
  /** Most (address, room) pairs remembered; the oldest is forgotten first. Default `10000`. */
  maxEntries?: number;
  /** A millisecond clock. Default `Date.now`. */
  now?: () => number;
}

interface Failures {
  count: number;
  last: number;
}

/**
 * Counts wrong room passwords per (IP address, room) and says how long to wait before
 * checking the next one: so the answers to wrong attempts come after 0, 0, 1 s, 2 s, 4 s …
 * (with the defaults), and no password hashing is spent during the wait. Memory is bounded
 * by `maxEntries`. The wait is an awaited timer on one connection, so it never blocks others.
 */
export class PasswordThrottle {
  readonly #options: Required<PasswordThrottleOptions>;
  // A Map keeps insertion order: re-inserting on each failure makes the first key the oldest.
  readonly #failures = new Map<string, Failures>();

  constructor(options: PasswordThrottleOptions) {
    this.#options = { forgetAfterMs: 15 * 60_000, maxEntries: 10_000, now: Date.now, ...options };
  }

  /**
   * How long to wait before checking the next password from (address, room), in
   * milliseconds: 0 while fewer than `freeAttempts` failures are remembered, then `delayMs`,
   * doubling with each further failure, capped at `maxDelayMs`.
   */
  delayFor(address: string, room: string): number {
    const failures = this.#failures.get(`${address}\u0000${room}`);
    const { freeAttempts, delayMs, maxDelayMs, forgetAfterMs, now } = this.#options;
    if (failures === undefined || now() - failures.last >= forgetAfterMs) return 0;
    if (failures.count < freeAttempts) return 0;
    return Math.min(maxDelayMs, delayMs * 2 ** Math.min(30, failures.count - freeAttempts));
  }

  /** Records a wrong password from (address, room). */
  fail(address: string, room: string): void {
    const key = `${address}\u0000${room}`;
    const now = this.#options.now();
    const previous = this.#failures.get(key);
    const count = previous !== undefined && now - previous.last < this.#options.forgetAfterMs ? previous.count + 1 : 1;
    this.#failures.delete(key);
    this.#failures.set(key, { count, last: now });
    while (this.#failures.size > this.#options.maxEntries) {
      const oldest = this.#failures.keys().next().value;
      if (oldest === undefined) break;
      this.#failures.delete(oldest);
    }
  }

  /** Forgets the failures of (address, room) after a right password. */
  succeed(address: string, room: string): void {
    this.#failures.delete(`${address}\u0000${room}`);
  }

  /** Number of (address, room) pairs remembered. */
  get size(): number {
    return this.#failures.size;
  }
}
