import { MemoryPasswordFailures, type PasswordFailures } from './PasswordFailures.js';

/** Options of a {@link PasswordThrottle}. */
export interface PasswordThrottleOptions {
  /** Failures answered without delay. */
  freeAttempts: number;
  /** The first delay after the free attempts, in milliseconds; it doubles with each failure. */
  delayMs: number;
  /** The longest delay, in milliseconds. */
  maxDelayMs: number;
  /** Where failures are counted. Default: this process's memory ({@link MemoryPasswordFailures}). */
  failures?: PasswordFailures;
}

/**
 * Counts wrong room passwords per (IP address, room) and says how long to wait before
 * checking the next one: so the answers to wrong attempts come after 0, 0, 1 s, 2 s, 4 s …
 * (with the defaults), and no password hashing is spent during the wait. The wait is an
 * awaited timer on one connection, so it never blocks others.
 */
export class PasswordThrottle {
  readonly #options: PasswordThrottleOptions;
  readonly #failures: PasswordFailures;

  constructor(options: PasswordThrottleOptions) {
    this.#options = options;
    this.#failures = options.failures ?? new MemoryPasswordFailures();
  }

  /**
   * How long to wait before checking the next password from (address, room), in
   * milliseconds: 0 while fewer than `freeAttempts` failures are remembered, then `delayMs`,
   * doubling with each further failure, capped at `maxDelayMs`.
   */
  async delayFor(address: string, room: string): Promise<number> {
    const count = await this.#failures.count(failureKey(address, room));
    const { freeAttempts, delayMs, maxDelayMs } = this.#options;
    if (count < freeAttempts) return 0;
    return Math.min(maxDelayMs, delayMs * 2 ** Math.min(30, count - freeAttempts));
  }

  /** Records a wrong password from (address, room). */
  fail(address: string, room: string): Promise<void> {
    return this.#failures.fail(failureKey(address, room));
  }

  /** Forgets the failures of (address, room) after a right password. */
  succeed(address: string, room: string): Promise<void> {
    return this.#failures.clear(failureKey(address, room));
  }
}

/** The key of (address, room): a room id never holds a colon, so the two cannot run together. */
function failureKey(address: string, room: string): string {
  return `${room}:${address}`;
}
