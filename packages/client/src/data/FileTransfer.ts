/**
 * What every file transfer has in common, whichever way it goes: its state machine, its
 * progress (bytes, rate, ETA) and how it ends. {@link IncomingFile} and the per-peer legs of
 * an {@link OutgoingFile} build on {@link Transfer}.
 */
import { CHUNK_SIZE_BOUNDS, type CancelReason, type PeerFrame } from '@ponte/protocol';
import { PonteError } from '../errors/PonteError.js';
import { TypedEmitter } from '../events/TypedEmitter.js';

/**
 * Where a transfer is: `offered` (waiting for the receiver to accept), `active` (bytes are
 * flowing or being verified), then one final state.
 */
export type TransferState = 'offered' | 'active' | 'done' | 'declined' | 'cancelled' | 'failed';

/**
 * Why a transfer ended:
 * - `completed`: every byte arrived and the digest matched (state `done`);
 * - `declined`: the receiver said no (state `declined`);
 * - `cancelled` / `cancelled-by-peer`: this side or the other cancelled (state `cancelled`);
 * - `left`: we left the room (state `cancelled`);
 * - `peer-left`: the other peer left or its connection closed (state `failed`);
 * - `integrity`: the digest did not match (state `failed`);
 * - `bad-data`: the other side broke the data protocol (state `failed`);
 * - `closed`: the transfer's channel closed before the end (state `failed`);
 * - `unreadable`: the file could not be read (state `failed`, sender only).
 */
export type TransferEndReason =
  'completed' | 'declined' | 'cancelled' | 'cancelled-by-peer' | 'left' | 'peer-left' | 'integrity' | 'bad-data' | 'closed' | 'unreadable';

/** How far a transfer is. */
export interface TransferProgress {
  /** Bytes sent to the network (sender) or received (receiver). */
  readonly bytes: number;
  /** The file's size in bytes. */
  readonly size: number;
  /** Recent rate in bytes per second (over the last ~2 s). */
  readonly rate: number;
  /** Seconds left at the current rate, or null while the rate is unknown. */
  readonly eta: number | null;
}

/** How a transfer ended. */
export interface TransferEnd {
  readonly state: Exclude<TransferState, 'offered' | 'active'>;
  readonly reason: TransferEndReason;
  /** For a `failed` transfer: `TRANSFER_FAILED`, or `BAD_PEER_DATA` for `bad-data`. */
  readonly error?: PonteError;
}

/** Events of a transfer. */
export interface TransferEvents {
  /** Bytes moved; emitted at most every `progressIntervalMs` and once at the end. */
  progress: TransferProgress;
  /** The transfer is over (see {@link TransferEnd}); nothing follows. */
  end: TransferEnd;
}

/** Tuning of file transfers. Every field is optional; see the defaults. */
export interface FileTransferOptions {
  /**
   * Bytes per chunk (one data channel message). Default 64 KiB; a whole number from 1 KiB to
   * 256 KiB (another is brought into that range: a receiver refuses any other offer).
   */
  chunkSize?: number;
  /** Stop sending while the channel buffers more than this many bytes. Default 4 MiB. */
  highWaterMark?: number;
  /** Resume sending when the buffer drains to this many bytes (`bufferedamountlow`). Default 1 MiB. */
  lowWaterMark?: number;
  /** Bytes read from the file at once (rounded up to whole chunks). Default 1 MiB. */
  readSize?: number;
  /** Least time between two `progress` events, in ms. Default 100. */
  progressIntervalMs?: number;
  /** Most offers from one peer waiting for an answer at once; more are refused. Default 32. */
  maxPendingOffers?: number;
}

/** What a transfer needs from the per-peer data layer. */
export interface TransferLink {
  /** Sends a control frame on the reliable message channel; false when it could not. */
  control(frame: PeerFrame): boolean;
  /** Opens a new in-band data channel to the peer. */
  openChannel(label: string, init: RTCDataChannelInit): RTCDataChannel;
}

/** {@link FileTransferOptions} with every default filled in. */
export type ResolvedFileTransferOptions = Required<FileTransferOptions>;

/** The defaults of {@link FileTransferOptions}, chosen with `bench/transfer` (docs/benchmarks.md). */
export const FILE_TRANSFER_DEFAULTS: ResolvedFileTransferOptions = {
  chunkSize: 64 * 1024,
  highWaterMark: 4 * 1024 * 1024,
  lowWaterMark: 1024 * 1024,
  readSize: 1024 * 1024,
  progressIntervalMs: 100,
  maxPendingOffers: 32,
};

/** Fills in the defaults of `options`, with the chunk size in the range every receiver accepts. */
export function resolveFileTransferOptions(options: FileTransferOptions = {}): ResolvedFileTransferOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const resolved: ResolvedFileTransferOptions = { ...FILE_TRANSFER_DEFAULTS, ...defined };
  resolved.chunkSize = Math.min(CHUNK_SIZE_BOUNDS.max, Math.max(CHUNK_SIZE_BOUNDS.min, Math.floor(resolved.chunkSize)));
  return resolved;
}

/** Time window of the rate estimate, in ms. */
const RATE_WINDOW_MS = 2000;

/** A byte rate over a sliding window of samples. */
export class RateMeter {
  readonly #samples: { at: number; bytes: number }[] = [];

  /** Records `bytes` done at time `at` (ms) and returns the rate in bytes per second. */
  sample(bytes: number, at: number): number {
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - (this.#samples[1]?.at ?? at) >= RATE_WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0];
    if (!first || at <= first.at) return 0;
    return ((bytes - first.bytes) * 1000) / (at - first.at);
  }
}

/** The state a wire cancel `reason` ends a transfer in, from this side's point of view. */
function endOfCancel(reason: CancelReason, byPeer: boolean): { state: TransferEnd['state']; reason: TransferEndReason } {
  switch (reason) {
    case 'cancelled':
      return { state: 'cancelled', reason: byPeer ? 'cancelled-by-peer' : 'cancelled' };
    case 'left':
      return byPeer ? { state: 'failed', reason: 'peer-left' } : { state: 'cancelled', reason: 'left' };
    case 'integrity':
      return { state: 'failed', reason: 'integrity' };
    case 'bad-data':
      return { state: 'failed', reason: 'bad-data' };
  }
}

const FAILURE_MESSAGES: Record<TransferEndReason, string> = {
  completed: 'completed',
  declined: 'was declined',
  cancelled: 'was cancelled',
  'cancelled-by-peer': 'was cancelled by the other side',
  left: 'stopped: we left',
  'peer-left': 'stopped: the other peer left',
  integrity: 'failed its integrity check: the data changed on the way',
  'bad-data': 'broke off: the other side sent data that does not follow the protocol',
  closed: 'broke off: its channel closed before the end',
  unreadable: 'failed: the file could not be read',
};

/**
 * One transfer of one file between us and one peer. Subclasses move the bytes; this class
 * keeps the state, reports progress on a timer while active, owns the transfer's channel,
 * handles cancels both ways, and ends exactly once.
 */
export abstract class Transfer extends TypedEmitter<TransferEvents> {
  #state: TransferState = 'offered';
  #end: TransferEnd | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #meter = new RateMeter();
  #last: TransferProgress;
  #channel: RTCDataChannel | null = null;

  protected constructor(
    /** The transfer's id, the same on both sides. */
    readonly id: string,
    /** The other peer's id. */
    readonly peerId: string,
    /** The file's name (on the receiving side, made safe by `safeFileName`). */
    readonly name: string,
    /** The file's size in bytes. */
    readonly size: number,
    /** The file's media type, possibly empty. */
    readonly type: string,
    protected readonly link: TransferLink,
    protected readonly options: ResolvedFileTransferOptions,
  ) {
    super();
    this.#last = { bytes: 0, size, rate: 0, eta: null };
  }

  /** Where the transfer is. */
  get state(): TransferState {
    return this.#state;
  }

  /** The latest progress. */
  get progress(): TransferProgress {
    return this.#last;
  }

  /** How it ended, once it has. */
  get ended(): TransferEnd | null {
    return this.#end;
  }

  /** @internal Ends the transfer because we leave (`left`: the peer is told) or the peer left (`peer-left`). */
  stopFor(reason: 'left' | 'peer-left'): void {
    if (reason === 'left') this.stop('left');
    else this.finish('failed', 'peer-left');
  }

  /** @internal The peer stopped the transfer. */
  onCancel(reason: CancelReason): void {
    const end = endOfCancel(reason, true);
    this.finish(end.state, end.reason);
  }

  /** Bytes moved so far; subclasses say what counts. */
  protected abstract bytesDone(): number;

  /** Releases what the subclass holds beyond the channel; called once at the end. */
  protected abstract release(): void;

  /** The transfer's channel, once it has one. */
  protected get channel(): RTCDataChannel | null {
    return this.#channel;
  }

  /**
   * Takes `channel` as the transfer's own: bytes arrive as `ArrayBuffer`s, and a channel that
   * closes before the end fails the transfer as `closed`. The subclass sets its other handlers.
   */
  protected useChannel(channel: RTCDataChannel): void {
    this.#channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.onclose = () => {
      // When the whole connection went, its message channel closes in the same burst and
      // ends this transfer as `peer-left`; wait one task so that clearer reason wins.
      setTimeout(() => this.finish('failed', 'closed'), 0);
    };
  }

  /** Tells the peer we stop for `reason`, and ends the transfer. */
  protected stop(reason: CancelReason): void {
    if (this.#end) return;
    this.link.control({ t: 'file-cancel', id: this.id, reason });
    const end = endOfCancel(reason, false);
    this.finish(end.state, end.reason);
  }

  /** Enters `active` and starts reporting progress. */
  protected activate(): void {
    if (this.#state !== 'offered') return;
    this.#state = 'active';
    this.#timer = setInterval(() => this.reportProgress(), this.options.progressIntervalMs);
  }

  /** Emits a `progress` event now. */
  protected reportProgress(): void {
    const bytes = this.bytesDone();
    const rate = this.#meter.sample(bytes, performance.now());
    const eta = rate > 0 ? (this.size - bytes) / rate : null;
    this.#last = { bytes, size: this.size, rate, eta };
    this.emit('progress', this.#last);
  }

  /** Ends the transfer in `state` for `reason`, once; later calls do nothing. */
  protected finish(state: TransferEnd['state'], reason: TransferEndReason): void {
    if (this.#end) return;
    clearInterval(this.#timer);
    if (this.#state === 'active') this.reportProgress();
    this.#state = state;
    const end: TransferEnd =
      state === 'failed'
        ? {
            state,
            reason,
            error: new PonteError(
              reason === 'bad-data' ? 'BAD_PEER_DATA' : 'TRANSFER_FAILED',
              `The transfer of "${this.name}" ${FAILURE_MESSAGES[reason]}.`,
            ),
          }
        : { state, reason };
    this.#end = end;
    this.release();
    this.#closeChannel();
    this.emit('end', end);
  }

  #closeChannel(): void {
    const channel = this.#channel;
    if (!channel) return;
    channel.onopen = null;
    channel.onmessage = null;
    channel.onclose = null;
    channel.onbufferedamountlow = null;
    channel.close();
  }
}
