import type { RoomAdapter, RoomBackendStatus } from '../rooms/RoomAdapter.js';

/** The message of a join or resume refused because the server is draining. */
export const SHUTTING_DOWN_MESSAGE = 'this server is shutting down; reconnect';

/** The message of a join or resume refused because the rooms' store cannot be reached, or failed. */
export const ROOMS_UNREACHABLE_MESSAGE = 'this server cannot reach its rooms right now; reconnect and try again shortly';

/**
 * Whether the server takes joins and resumes now: not while it drains (`drain()`), nor while
 * its room adapter says the shared store cannot be reached. `/healthz` reports the same.
 */
export class Availability {
  readonly #adapter: Pick<RoomAdapter, 'status'>;
  #draining = false;

  /** Follows the reachability `adapter` reports. */
  constructor(adapter: Pick<RoomAdapter, 'status'>) {
    this.#adapter = adapter;
  }

  /** Whether {@link startDraining} was called: no join or resume is taken any more. */
  get draining(): boolean {
    return this.#draining;
  }

  /** From now on every join and resume is refused with {@link SHUTTING_DOWN_MESSAGE}. */
  startDraining(): void {
    this.#draining = true;
  }

  /** Where the rooms live and whether they can be reached now, as the adapter says. */
  backend(): RoomBackendStatus {
    return this.#adapter.status();
  }

  /** Why a join or resume must be refused now, or undefined when it may be taken. */
  refusal(): string | undefined {
    if (this.#draining) return SHUTTING_DOWN_MESSAGE;
    if (!this.#adapter.status().connected) return ROOMS_UNREACHABLE_MESSAGE;
    return undefined;
  }
}
