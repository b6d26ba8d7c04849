/** How long a peer may take to come back after a resume by default, in ms. */
export const DEFAULT_PEER_RETURN_TIMEOUT_MS = 20_000;

/**
 * The peers we wait for after a resume: ones we are still connected to but the server does
 * not list (they may still be resuming after a server restart). Each is given
 * `timeoutMs` to come back before `gone` takes them as gone.
 */
export class ReturningPeers {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly timeoutMs: number,
    private readonly gone: (id: string) => void,
  ) {}

  /** Starts (or restarts) waiting for `id`. */
  expect(id: string): void {
    this.arrived(id);
    const timer = setTimeout(() => {
      this.#timers.delete(id);
      this.gone(id);
    }, this.timeoutMs);
    this.#timers.set(id, timer);
  }

  /** `id` is back, or left for good: no longer waited for. */
  arrived(id: string): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  /** Waits for nobody any more. */
  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
