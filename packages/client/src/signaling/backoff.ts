/** How a lost signaling connection is retried. */
export interface ReconnectOptions {
  /** Delay ceiling of the first retry, in ms. Default 250. */
  initialDelayMs: number;
  /** The ceiling grows by this factor per failed attempt. Default 2. */
  factor: number;
  /** Largest delay between two attempts, in ms. Default 3000. */
  maxDelayMs: number;
  /** Stop retrying after this long without a connection, in ms. Default 120000. */
  giveUpAfterMs: number;
}

/** The defaults of {@link ReconnectOptions}. */
export const RECONNECT_DEFAULTS: ReconnectOptions = {
  initialDelayMs: 250,
  factor: 2,
  maxDelayMs: 3_000,
  giveUpAfterMs: 120_000,
};

/**
 * The delay before retry number `attempt` (0-based): capped exponential backoff with "equal
 * jitter": half of the ceiling is fixed, half random, so clients that lost the same server
 * spread out instead of reconnecting in lockstep, yet none waits needlessly long.
 */
export function backoffDelay(attempt: number, options: ReconnectOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
