/**
 * A token bucket: holds up to `burst` tokens, refills at `ratePerSecond`, and each taken
 * token lets one frame through. Refill is computed lazily from a monotonic clock on each
 * take, so an idle bucket costs nothing.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  /**
   * @param ratePerSecond - Tokens added per second.
   * @param burst - The most tokens the bucket holds (and starts with).
   * @param now - A millisecond clock; default `performance.now`.
   */
  constructor(ratePerSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.#rate = ratePerSecond / 1000;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#last = now();
  }

  /** Takes one token; returns false, taking nothing, when the bucket is empty. */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#rate);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
