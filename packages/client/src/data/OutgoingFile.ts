/**
 * The handle `Room.sendFile` returns: one file on its way to one or several peers, with the
 * progress of all of them summed, one cancel for all, and an end once every one is over.
 */
import type { FileSender } from './FileSender.js';
import type { TransferEnd, TransferProgress, TransferState } from './FileTransfer.js';
import { TypedEmitter } from '../events/TypedEmitter.js';

/** How an {@link OutgoingFile} ended, in sum and per recipient. */
export interface OutgoingFileEnd {
  /**
   * `done` when every recipient who did not decline received it (and one at least did),
   * `declined` when all declined, `cancelled` when we cancelled, else `failed`.
   */
  readonly state: TransferEnd['state'];
  /** How it ended for each recipient, by peer id. */
  readonly results: ReadonlyMap<string, TransferEnd>;
}

/** Events of an {@link OutgoingFile}. */
export interface OutgoingFileEvents {
  /** Summed over the recipients still in the running. */
  progress: TransferProgress;
  /** Every recipient's transfer is over. */
  end: OutgoingFileEnd;
}

/** A file we send, to one peer or to several. */
export class OutgoingFile extends TypedEmitter<OutgoingFileEvents> {
  /** The transfer id, the same for every recipient. */
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  /** One transfer per recipient. */
  readonly transfers: readonly FileSender[];
  #cancelled = false;
  #end: OutgoingFileEnd | null = null;

  /** @internal Built by `Room.sendFile` from started legs. */
  constructor(id: string, name: string, file: Blob, transfers: readonly FileSender[]) {
    super();
    this.id = id;
    this.name = name;
    this.size = file.size;
    this.type = file.type;
    this.transfers = transfers;
    for (const transfer of transfers) {
      transfer.on('progress', () => this.emit('progress', this.progress));
      transfer.on('end', () => this.#settle());
    }
    // Legs can end at once (an unreachable peer): settle after the caller could subscribe.
    queueMicrotask(() => this.#settle());
  }

  /** The recipients' peer ids. */
  get recipients(): string[] {
    return this.transfers.map((transfer) => transfer.peerId);
  }

  /** `offered` until a recipient accepts, `active` while any is, then the final state. */
  get state(): TransferState {
    if (this.#end) return this.#end.state;
    return this.transfers.some((transfer) => transfer.state === 'active') ? 'active' : 'offered';
  }

  /** Bytes, rate and ETA over the recipients that accepted and did not drop out. */
  get progress(): TransferProgress {
    const running = this.transfers.filter((transfer) => transfer.state === 'active' || transfer.state === 'done');
    const bytes = running.reduce((sum, transfer) => sum + transfer.progress.bytes, 0);
    const size = running.length > 0 ? running.length * this.size : this.size;
    const rate = running.reduce((sum, transfer) => sum + (transfer.state === 'active' ? transfer.progress.rate : 0), 0);
    return { bytes, size, rate, eta: rate > 0 ? (size - bytes) / rate : null };
  }

  /** How it ended, once it has. */
  get ended(): OutgoingFileEnd | null {
    return this.#end;
  }

  /** Stops sending to everyone. */
  cancel(): void {
    this.#cancelled = true;
    for (const transfer of this.transfers) transfer.cancel();
  }

  #settle(): void {
    if (this.#end) return;
    const ends = this.transfers.map((transfer) => transfer.ended);
    if (ends.some((end) => end === null)) return;
    const results = new Map(this.transfers.map((transfer) => [transfer.peerId, transfer.ended as TransferEnd]));
    const states = [...results.values()].map((end) => end.state);
    const state: TransferEnd['state'] = this.#cancelled
      ? 'cancelled'
      : states.every((s) => s === 'declined')
        ? 'declined'
        : states.every((s) => s === 'done' || s === 'declined')
          ? 'done'
          : states.every((s) => s === 'cancelled' || s === 'declined')
            ? 'cancelled'
            : 'failed';
    this.#end = { state, results };
    this.emit('end', this.#end);
  }
}
