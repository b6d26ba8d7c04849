/**
 * A file a peer offers us: accept or decline it, watch its progress, and get it as a `File`
 * once every byte arrived and the digest matched. Everything the sender says is checked:
 * chunk sizes against the offer, the byte count against the announced size, the digest.
 */
import { parseFileEndFrame, type FileOfferFrame } from '@ponte/protocol';
import { ChunkDigest } from './chunkDigest.js';
import { safeFileName } from './dataMessages.js';
import { Transfer, type ResolvedFileTransferOptions, type TransferLink } from './FileTransfer.js';

/** Received chunks are folded into a Blob every this many bytes, so the browser can store them off the JS heap. */
const FOLD_BYTES = 8 * 1024 * 1024;

/** Called when the sender broke the data protocol or the digest did not match. */
export type BadDataReport = (message: string) => void;

/** A file offered to us by one peer. */
export class IncomingFile extends Transfer {
  readonly #reportBadData: BadDataReport;
  readonly #chunkSize: number;
  readonly #digest = new ChunkDigest();
  readonly #blobs: Blob[] = [];
  #parts: ArrayBuffer[] = [];
  #partsBytes = 0;
  #received = 0;
  #file: File | null = null;

  /** @internal Built by the data layer from a validated offer. */
  constructor(offer: FileOfferFrame, peerId: string, link: TransferLink, reportBadData: BadDataReport, options: ResolvedFileTransferOptions) {
    super(offer.id, peerId, safeFileName(offer.name), offer.size, offer.type, link, options);
    this.#reportBadData = reportBadData;
    this.#chunkSize = offer.chunkSize;
  }

  /** The received file, once the transfer is `done`. */
  get file(): File | null {
    return this.#file;
  }

  /** Accepts the offer: the sender starts streaming. */
  accept(): void {
    if (this.state !== 'offered') return;
    if (!this.link.control({ t: 'file-accept', id: this.id })) {
      this.finish('failed', 'closed');
      return;
    }
    this.activate();
  }

  /** Declines the offer. */
  decline(): void {
    if (this.state !== 'offered') return;
    this.link.control({ t: 'file-decline', id: this.id });
    this.finish('declined', 'declined');
  }

  /** Declines a pending offer, or stops a running transfer and tells the sender. */
  cancel(): void {
    if (this.state === 'offered') this.decline();
    else this.stop('cancelled');
  }

  /**
   * @internal Takes the channel the sender opened for this transfer; returns false when no
   * channel is expected (not accepted yet, or one already came).
   */
  attach(channel: RTCDataChannel): boolean {
    if (this.state !== 'active' || this.channel) return false;
    this.useChannel(channel);
    channel.onmessage = ({ data }: MessageEvent<unknown>) => this.#onFrame(data);
    return true;
  }

  protected override bytesDone(): number {
    return this.#received;
  }

  protected override release(): void {
    if (this.state !== 'done') {
      this.#parts = [];
      this.#blobs.length = 0;
    }
  }

  #onFrame(data: unknown): void {
    if (this.ended) return;
    if (data instanceof ArrayBuffer) this.#onChunk(data);
    else if (typeof data === 'string') void this.#onEnd(data);
    else this.#fail('bad-data', 'a file frame of an unknown kind');
  }

  #onChunk(chunk: ArrayBuffer): void {
    const after = this.#received + chunk.byteLength;
    if (after > this.size) {
      this.#fail('bad-data', `more bytes than the ${this.size} announced`);
      return;
    }
    if (chunk.byteLength !== this.#chunkSize && after !== this.size) {
      this.#fail('bad-data', `a chunk of ${chunk.byteLength} bytes where ${this.#chunkSize} were announced`);
      return;
    }
    this.#received = after;
    this.#digest.add(new Uint8Array(chunk));
    this.#parts.push(chunk);
    this.#partsBytes += chunk.byteLength;
    if (this.#partsBytes >= FOLD_BYTES) {
      this.#blobs.push(new Blob(this.#parts));
      this.#parts = [];
      this.#partsBytes = 0;
    }
  }

  async #onEnd(text: string): Promise<void> {
    const parsed = parseFileEndFrame(text);
    if (!parsed.ok) {
      this.#fail('bad-data', parsed.message);
      return;
    }
    if (this.#received !== this.size) {
      this.#fail('bad-data', `the file ended after ${this.#received} of the ${this.size} bytes announced`);
      return;
    }
    const actual = await this.#digest.hex();
    if (this.ended) return;
    if (actual !== parsed.frame.sha256) {
      this.#fail('integrity', 'the SHA-256 digest does not match');
      return;
    }
    this.#file = new File([...this.#blobs, ...this.#parts], this.name, { type: this.type });
    this.link.control({ t: 'file-received', id: this.id });
    this.finish('done', 'completed');
  }

  #fail(reason: 'bad-data' | 'integrity', message: string): void {
    this.#reportBadData(`File "${this.name}": ${message}.`);
    this.stop(reason);
  }
}
