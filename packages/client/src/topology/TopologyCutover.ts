import type { RemotePeer } from '../room/RemotePeer.js';
import type { MediaKind } from './MediaTopology.js';
import type { TopologyMember } from './SwitchingTopology.js';

/** What a {@link TopologyCutover} works on. */
export interface TopologyCutoverOptions {
  /** The topology the room moves to. */
  next: TopologyMember;
  /** The room's peers (as the room sees them: their `state` says what they send). */
  peers: ReadonlyMap<string, RemotePeer>;
  /** Whether a peer's tracks come from `next` already. */
  isMoved: (id: string) => boolean;
  /** Shows a peer's tracks from `next` from now on. */
  move: (id: string) => void;
  /** Every peer has moved: the old topology may close. */
  done: () => void;
  /** The longest wait for media, in ms, after which every peer is moved anyway. */
  timeoutMs: number;
  /** How often `next`'s statistics are read, in ms. */
  intervalMs: number;
}

/** The kinds of media a peer's state says it sends (a screen share is video). */
export function expectedKinds(peer: RemotePeer): MediaKind[] {
  const kinds: MediaKind[] = [];
  if (peer.state.audio) kinds.push('audio');
  if (peer.state.video || peer.state.screen) kinds.push('video');
  return kinds;
}

/**
 * The waiting part of a make-before-break switch: reads the new topology's statistics every
 * `intervalMs` and moves each peer whose new tracks show media (a video track that decoded
 * frames, an audio track that received packets, since the previous look: see
 * `mediaProgress`) for every kind the peer sends; a peer that sends nothing moves at once. When every peer has moved, or after
 * `timeoutMs`, it is done. The old topology carries each peer's media until that peer moves.
 */
export class TopologyCutover {
  readonly next: TopologyMember;
  readonly #options: TopologyCutoverOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #over = false;
  /** Each new track's progress at the previous look. */
  #last = new Map<string, number>();

  constructor(options: TopologyCutoverOptions) {
    this.next = options.next;
    this.#options = options;
  }

  /** Starts watching. */
  start(): void {
    this.#deadline = setTimeout(() => this.#expire(), this.#options.timeoutMs);
    this.#schedule();
  }

  /** Ends the switch if every peer has moved (after one left, say). */
  check(): void {
    if (this.#over) return;
    if ([...this.#options.peers.keys()].every((id) => this.#options.isMoved(id))) this.#end(true);
  }

  /** Stops watching; `done` is not called. */
  abort(): void {
    this.#end(false);
  }

  #schedule(): void {
    if (!this.#over) this.#timer = setTimeout(() => void this.#probe(), this.#options.intervalMs);
  }

  async #probe(): Promise<void> {
    let progress: Map<string, number>;
    try {
      progress = await this.next.topology.mediaProgress();
    } catch {
      progress = new Map();
    }
    if (this.#over) return;
    // Showing media: decoded or received more since the previous look (not one key frame, then nothing).
    const advancing = (id: string): boolean => (progress.get(id) ?? 0) > (this.#last.get(id) ?? Infinity);
    for (const peer of this.#options.peers.values()) {
      if (this.#options.isMoved(peer.id)) continue;
      const tracks = this.next.topology.peers.get(peer.id)?.stream.getTracks() ?? [];
      if (expectedKinds(peer).every((kind) => tracks.some((track) => track.kind === kind && advancing(track.id)))) this.#options.move(peer.id);
    }
    this.#last = progress;
    this.check();
    this.#schedule();
  }

  #expire(): void {
    if (this.#over) return;
    for (const id of this.#options.peers.keys()) if (!this.#options.isMoved(id)) this.#options.move(id);
    this.#end(true);
  }

  #end(done: boolean): void {
    if (this.#over) return;
    this.#over = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#deadline);
    if (done) this.#options.done();
  }
}
