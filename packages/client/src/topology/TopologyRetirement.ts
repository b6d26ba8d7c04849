import type { TopologyMode } from '@ponte/protocol';
import type { MediaTopology } from './MediaTopology.js';

/** What a {@link TopologyRetirement} needs. */
export interface TopologyRetirementOptions {
  /** The room's peers now. */
  peers: () => Iterable<string>;
  /** The longest an old topology stays open for peers that have not said they moved, in ms. */
  maxWaitMs: number;
}

/**
 * The last part of a make-before-break switch: the old topology's connections stay open
 * until every peer has said it moved to the new topology too (`moved`, a message through the
 * server), since until then it may still show our media on the old connections; at most
 * `maxWaitMs`. One old topology at a time: retiring another closes the first at once.
 */
export class TopologyRetirement {
  readonly #options: TopologyRetirementOptions;
  /** The topology each peer said it moved to last. */
  readonly #moved = new Map<string, TopologyMode>();
  #old: { topology: MediaTopology; mode: TopologyMode; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(options: TopologyRetirementOptions) {
    this.#options = options;
  }

  /** Closes `old` once every peer has moved to `mode` (now, if they all have). */
  retire(old: MediaTopology, mode: TopologyMode): void {
    this.closeNow();
    const timer = setTimeout(() => this.closeNow(), this.#options.maxWaitMs);
    this.#old = { topology: old, mode, timer };
    this.check();
  }

  /** A peer says it moved to `mode`. */
  peerMoved(id: string, mode: TopologyMode): void {
    this.#moved.set(id, mode);
    this.check();
  }

  /** A peer left: it waits for nothing. */
  forget(id: string): void {
    this.#moved.delete(id);
    this.check();
  }

  /** Closes the old topology if every peer has moved. */
  check(): void {
    const old = this.#old;
    if (old && [...this.#options.peers()].every((id) => this.#moved.get(id) === old.mode)) this.closeNow();
  }

  /** Closes the old topology, if any, without waiting. */
  closeNow(): void {
    const old = this.#old;
    if (!old) return;
    this.#old = null;
    clearTimeout(old.timer);
    old.topology.close();
  }
}
