/**
 * Sends one file to one peer: offers it on the control channel, and once accepted streams it
 * on a channel of its own, reading the file a block at a time (never all of it) and pausing
 * on `bufferedAmount` so the browser's send buffer stays bounded.
 */
import { ChunkDigest } from './chunkDigest.js';
import type { FileEndFrame } from '@ponte/protocol';
import { fileChannelLabel } from './dataMessages.js';
import { Transfer, type ResolvedFileTransferOptions, type TransferLink } from './FileTransfer.js';

/** One leg of an {@link OutgoingFile}: the file on its way to one peer. */
export class FileSender extends Transfer {
  readonly #file: Blob;
  #sent = 0;
  #endSent = false;
  #wakeUp: (() => void) | null = null;

  constructor(id: string, peerId: string, file: Blob, name: string, link: TransferLink, options: ResolvedFileTransferOptions) {
    super(id, peerId, name, file.size, file.type, link, options);
    this.#file = file;
  }

  /** Sends the offer. The transfer fails at once when the peer cannot be reached. */
  start(): void {
    const offered = this.link.control({
      t: 'file-offer',
      id: this.id,
      name: this.name,
      size: this.size,
      type: this.type,
      chunkSize: this.options.chunkSize,
    });
    if (!offered) this.finish('failed', 'closed');
  }

  /** Stops sending and tells the peer. */
  cancel(): void {
    this.stop('cancelled');
  }

  /**
   * Handles the peer's answer to our offer; returns false when an answer is not expected
   * now (the caller reports that as bad data).
   */
  onAnswer(accepted: boolean): boolean {
    if (this.state !== 'offered') return false;
    if (!accepted) {
      this.finish('declined', 'declined');
      return true;
    }
    this.activate();
    const channel = this.link.openChannel(fileChannelLabel(this.id), { ordered: true });
    this.useChannel(channel);
    channel.bufferedAmountLowThreshold = this.options.lowWaterMark;
    channel.onopen = () => void this.#pump(channel);
    channel.onbufferedamountlow = () => this.#wake();
    return true;
  }

  /** The receiver verified the file; returns false when that is not expected now. */
  onReceived(): boolean {
    if (!this.#endSent || this.ended) return false;
    this.finish('done', 'completed');
    return true;
  }

  protected override bytesDone(): number {
    // What left the browser's buffer: the receiver's side of the progress bar.
    return this.#sent - (this.channel?.bufferedAmount ?? 0);
  }

  protected override release(): void {
    this.#wake();
  }

  async #pump(channel: RTCDataChannel): Promise<void> {
    const { chunkSize, highWaterMark } = this.options;
    const blockSize = Math.max(1, Math.ceil(this.options.readSize / chunkSize)) * chunkSize;
    const digest = new ChunkDigest();
    try {
      // The next block is read while this one is sent.
      let next = this.#read(0, blockSize);
      for (let offset = 0; offset < this.size; offset += blockSize) {
        const block = await next;
        if (offset + blockSize < this.size) next = this.#read(offset + blockSize, blockSize);
        for (let at = 0; at < block.length; at += chunkSize) {
          if (channel.bufferedAmount > highWaterMark) await this.#drained();
          if (this.ended) return;
          const chunk = block.subarray(at, at + chunkSize);
          channel.send(chunk);
          digest.add(chunk);
          this.#sent += chunk.length;
        }
      }
      const end: FileEndFrame = { t: 'file-end', sha256: await digest.hex() };
      if (this.ended) return;
      channel.send(JSON.stringify(end));
      this.#endSent = true;
    } catch (error) {
      // A channel that is closing ends the transfer from its close handler, which lets a
      // connection that went away end it as `peer-left` rather than `closed`.
      if (this.ended || channel.readyState !== 'open') return;
      if (error instanceof DOMException && error.name === 'NotReadableError') this.#failUnreadable();
      else this.finish('failed', 'closed');
    }
  }

  async #read(start: number, length: number): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.#file.slice(start, Math.min(this.size, start + length)).arrayBuffer());
  }

  #failUnreadable(): void {
    this.link.control({ t: 'file-cancel', id: this.id, reason: 'cancelled' });
    this.finish('failed', 'unreadable');
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      this.#wakeUp = resolve;
    });
  }

  #wake(): void {
    const wakeUp = this.#wakeUp;
    this.#wakeUp = null;
    wakeUp?.();
  }
}
