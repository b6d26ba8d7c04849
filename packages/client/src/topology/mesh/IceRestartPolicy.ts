/** The defaults of {@link IceRestartPolicyOptions}, in ms. */
export const ICE_RESTART_DEFAULTS = {
  /** How long a `disconnected` connection may stay so before an ICE restart. */
  disconnectedRestartMs: 4_000,
  /** After a restart, how long to wait for `connected` before restarting again. */
  restartRetryMs: 5_000,
} as const;

/** What an {@link IceRestartPolicy} needs: its side of the pair, its timings, and the connection. */
export interface IceRestartPolicyOptions {
  /** Whether this side is the polite one of the pair (see `isPolite`). */
  polite: boolean;
  /** See `PeerSessionOptions.disconnectedRestartMs`. Default 4000. */
  disconnectedRestartMs?: number | undefined;
  /** See `PeerSessionOptions.restartRetryMs`. Default 5000. */
  restartRetryMs?: number | undefined;
  /** Restarts ICE on the connection (`RTCPeerConnection.restartIce()`). */
  restart: () => void;
  /** Whether the connection is `connected` now. */
  isConnected: () => boolean;
}

/**
 * When one connection restarts ICE by itself: at once after `failed`, after
 * `disconnectedRestartMs` of `disconnected`, and again every `restartRetryMs` until it is
 * `connected`.
 *
 * Both sides see a broken path at about the same time, so only the impolite side restarts
 * ICE at once; the polite side restarts only when no offer came from the impolite side for
 * twice `restartRetryMs` (it may be gone, or see the connection as fine). Two restarts at
 * once sometimes collided, and Chromium's rollback of the polite side's restart offer then
 * left that side's `<video>` of the peer frozen for good although its frames were still
 * received and decoded (docs/connectivity.md, "ICE restart").
 */
export class IceRestartPolicy {
  readonly #options: IceRestartPolicyOptions;
  /** The pending automatic restart (after `failed` or `disconnected`). */
  #autoRestartTimer: ReturnType<typeof setTimeout> | undefined;
  /** The pending retry of a restart that has not connected yet. */
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: IceRestartPolicyOptions) {
    this.#options = options;
  }

  /** Restarts now, then again every `restartRetryMs` until connected. */
  restartNow(): void {
    if (this.#closed) return;
    this.#options.restart();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (!this.#options.isConnected()) this.restartNow();
    }, this.#retryMs);
  }

  /** The connection's state changed. */
  onConnectionState(state: RTCPeerConnectionState): void {
    clearTimeout(this.#autoRestartTimer);
    this.#autoRestartTimer = undefined;
    if (this.#closed) return;
    if (state === 'failed') this.#schedule(0);
    if (state === 'disconnected') this.#schedule(this.#options.disconnectedRestartMs ?? ICE_RESTART_DEFAULTS.disconnectedRestartMs);
    if (state === 'connected') {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
  }

  /** A remote offer was applied: on the polite side, one of the impolite side's restarts pushes ours back. */
  onRemoteOffer(): void {
    const restarting = this.#autoRestartTimer !== undefined || this.#retryTimer !== undefined;
    if (this.#options.polite && restarting && !this.#options.isConnected()) this.#defer();
  }

  /** Cancels every pending restart, for good. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#autoRestartTimer);
    clearTimeout(this.#retryTimer);
  }

  get #retryMs(): number {
    return this.#options.restartRetryMs ?? ICE_RESTART_DEFAULTS.restartRetryMs;
  }

  /** Schedules the automatic restart `delayMs` from now (the polite side: see {@link #defer}). */
  #schedule(delayMs: number): void {
    if (this.#options.polite) {
      this.#defer();
      return;
    }
    this.#autoRestartTimer = setTimeout(() => this.restartNow(), delayMs);
  }

  /**
   * On the polite side, (re)arms its own restart for twice `restartRetryMs` from now: each
   * offer of the impolite side, which retries every `restartRetryMs`, pushes it back.
   */
  #defer(): void {
    clearTimeout(this.#autoRestartTimer);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#autoRestartTimer = setTimeout(() => {
      if (!this.#options.isConnected()) this.restartNow();
    }, 2 * this.#retryMs);
  }
}
