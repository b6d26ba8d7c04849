/**
 * Peer-to-peer data with one peer over one `RTCPeerConnection`: application messages (JSON or
 * binary, reliable or not) and file transfers, all on data channels, never through a server.
 * Works on a {@link PeerSession} in a `Room`, or on any connection that says when data
 * channels may be created.
 */
import { parsePeerFrame, type FileOfferFrame, type JsonValue, type PeerFrame } from '@ponte/protocol';
import { PonteError } from '../errors/PonteError.js';
import { TypedEmitter } from '../events/TypedEmitter.js';
import { FILE_CHANNEL_PREFIX, nameOfBlob, newTransferId, transferIdOfLabel } from './dataMessages.js';
import { bytesOver, EncodedMessage, type Frame, type MessageData } from './EncodedMessage.js';
import { FileSender } from './FileSender.js';
import { resolveFileTransferOptions, type FileTransferOptions, type ResolvedFileTransferOptions, type TransferLink } from './FileTransfer.js';
import { IncomingFile } from './IncomingFile.js';

export type { JsonValue } from '@ponte/protocol';
export { EncodedMessage, type MessageData } from './EncodedMessage.js';

/** A message from the peer: JSON as sent, or bytes as an `ArrayBuffer`. */
export interface PeerMessage {
  readonly data: JsonValue | ArrayBuffer;
  /** False when it came on the unordered, unreliable channel. */
  readonly reliable: boolean;
}

/** How to send one message. */
export interface SendOptions {
  /**
   * True (default): ordered and reliable, like TCP. False: unordered, no retransmission,
   * for real-time data where a late message is worse than a lost one (game state, cursors).
   */
  reliable?: boolean;
}

/** Events of a {@link PeerData}. */
export interface PeerDataEvents {
  /** The reliable message channel opened: messages now go out at once. */
  open: void;
  message: PeerMessage;
  /** The peer offers a file: call `accept()` or `decline()` on it. */
  'file-offer': IncomingFile;
  /** The peer sent something this side refused (`BAD_PEER_DATA`); the link keeps going. */
  error: PonteError;
}

/** What {@link PeerData} needs of the connection; {@link PeerSession} provides it. */
export interface PeerLink {
  readonly connection: RTCPeerConnection;
  /**
   * Calls `open` once data channels can be created without an extra negotiation (at once,
   * or when the first remote offer has been applied). For a bare connection whose first
   * offer is not made yet, `(open) => open()` is right.
   */
  onDataReady(open: () => void): void;
}

/** Limits and tuning of {@link PeerData}. */
export interface PeerDataOptions extends FileTransferOptions {
  /** Largest message, in bytes of the binary or the encoded JSON, either way. Default 256 KiB (Chromium's SCTP limit). */
  maxMessageSize?: number;
  /** Most bytes of reliable messages held while the channel is not open yet. Default 1 MiB. */
  maxQueuedBytes?: number;
}

/** Stream ids of the pre-negotiated message channels, the same on both sides. */
const RELIABLE_ID = 0;
const UNRELIABLE_ID = 1;
/** How many ended transfer ids are remembered, so late frames for them are ignored quietly. */
const ENDED_MEMORY = 256;

/**
 * The data layer for one peer. It creates two pre-negotiated channels (`negotiated: true`,
 * fixed ids), so they cost no signaling: `ponte-reliable` (ordered, reliable: messages and
 * the file control frames) and `ponte-unreliable` (unordered, `maxRetransmits: 0`). Each
 * file goes on an in-band channel of its own, opened by the sender once accepted.
 */
export class PeerData extends TypedEmitter<PeerDataEvents> {
  readonly peerId: string;
  readonly #connection: RTCPeerConnection;
  readonly #files: ResolvedFileTransferOptions;
  readonly #maxMessageSize: number;
  readonly #maxQueuedBytes: number;
  readonly #outgoing = new Map<string, FileSender>();
  readonly #incoming = new Map<string, IncomingFile>();
  readonly #ended = new Set<string>();
  readonly #link: TransferLink;
  #reliable: RTCDataChannel | null = null;
  #unreliable: RTCDataChannel | null = null;
  #queue: Frame[] = [];
  #queuedBytes = 0;
  #closed = false;

  constructor(link: PeerLink, peerId: string, options: PeerDataOptions = {}) {
    super();
    this.peerId = peerId;
    this.#connection = link.connection;
    this.#files = resolveFileTransferOptions(options);
    this.#maxMessageSize = options.maxMessageSize ?? 256 * 1024;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
    this.#link = {
      control: (frame) => this.#sendFrame(JSON.stringify(frame), true),
      openChannel: (label, init) => this.#connection.createDataChannel(label, init),
    };
    this.#connection.addEventListener('datachannel', this.#onDataChannel);
    link.onDataReady(() => this.#openChannels());
  }

  /** Whether the reliable message channel is open. */
  get open(): boolean {
    return this.#reliable?.readyState === 'open';
  }

  /** Files being sent to this peer, by transfer id. */
  get outgoing(): ReadonlyMap<string, FileSender> {
    return this.#outgoing;
  }

  /** Files offered by or coming from this peer, by transfer id. */
  get incoming(): ReadonlyMap<string, IncomingFile> {
    return this.#incoming;
  }

  /**
   * Sends `data` to the peer. Reliable messages sent before the channel opens are held
   * (up to `maxQueuedBytes`) and go out in order once it does; unreliable ones are dropped
   * meanwhile. Throws `MESSAGE_TOO_LARGE`, `INVALID_MESSAGE`, or `INVALID_STATE` after close.
   */
  send(data: MessageData, options: SendOptions = {}): void {
    this.sendEncoded(new EncodedMessage(data), options);
  }

  /** @internal {@link send} for a message already encoded (once for several peers, by `Room.send`). */
  sendEncoded({ frame }: EncodedMessage, options: SendOptions = {}): void {
    if (this.#closed) throw PonteError.invalidState(`The data link to ${this.peerId} is closed.`);
    const size = bytesOver(frame, this.#maxMessageSize);
    if (size !== null) {
      throw new PonteError('MESSAGE_TOO_LARGE', `A message of ${size} bytes exceeds the limit of ${this.#maxMessageSize}.`);
    }
    if (!this.#sendFrame(frame, options.reliable ?? true)) {
      throw PonteError.invalidState(`Too much data is waiting for the channel to ${this.peerId} to open.`);
    }
  }

  /**
   * Offers `file` to the peer and, once accepted, streams it. `id` names the transfer (one
   * id may serve several peers); `name` defaults to the file's own.
   */
  sendFile(file: Blob, options: { id?: string; name?: string } = {}): FileSender {
    if (this.#closed) throw PonteError.invalidState(`The data link to ${this.peerId} is closed.`);
    const id = options.id ?? newTransferId();
    const name = options.name ?? nameOfBlob(file);
    const sender = new FileSender(id, this.peerId, file, name, this.#link, this.#files);
    this.#track(this.#outgoing, sender);
    sender.start();
    return sender;
  }

  /**
   * Ends every transfer (`left`: we leave, and tell the peer; `peer-left`: the peer is gone)
   * and closes the channels. The connection itself is the caller's.
   */
  close(reason: 'left' | 'peer-left'): void {
    if (this.#closed) return;
    this.#stopTransfers(reason);
    this.#closed = true;
    this.#connection.removeEventListener('datachannel', this.#onDataChannel);
    for (const channel of [this.#reliable, this.#unreliable]) {
      if (!channel) continue;
      channel.onopen = null;
      channel.onmessage = null;
      channel.onclose = null;
      channel.close();
    }
    this.#queue = [];
    this.removeAllListeners();
  }

  #openChannels(): void {
    if (this.#closed || this.#reliable) return;
    const reliable = this.#connection.createDataChannel('ponte-reliable', { negotiated: true, id: RELIABLE_ID, ordered: true });
    const unreliable = this.#connection.createDataChannel('ponte-unreliable', {
      negotiated: true,
      id: UNRELIABLE_ID,
      ordered: false,
      maxRetransmits: 0,
    });
    for (const channel of [reliable, unreliable]) {
      channel.binaryType = 'arraybuffer';
      channel.onmessage = ({ data }: MessageEvent<unknown>) => this.#onMessage(data, channel === reliable);
    }
    reliable.onopen = () => this.#flush();
    // The connection is gone (the peer closed it or it failed for good): so are its transfers.
    reliable.onclose = () => this.#stopTransfers('peer-left');
    this.#reliable = reliable;
    this.#unreliable = unreliable;
  }

  /** Ends every transfer, either way (each leaves its map as it ends, hence the copy). */
  #stopTransfers(reason: 'left' | 'peer-left'): void {
    for (const transfer of [...this.#outgoing.values(), ...this.#incoming.values()]) transfer.stopFor(reason);
  }

  /** Sends or queues one frame; false when it was refused (the queue is full). */
  #sendFrame(frame: Frame, reliable: boolean): boolean {
    const channel = reliable ? this.#reliable : this.#unreliable;
    if (channel?.readyState === 'open') {
      channel.send(frame as string);
      return true;
    }
    if (!reliable || this.#closed) return !reliable;
    const size = typeof frame === 'string' ? frame.length : frame.byteLength;
    if (this.#queuedBytes + size > this.#maxQueuedBytes) return false;
    // Bytes are copied: the caller may reuse its buffer before the channel opens.
    this.#queue.push(typeof frame === 'string' ? frame : new Uint8Array(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength)));
    this.#queuedBytes += size;
    return true;
  }

  #flush(): void {
    const queue = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    for (const frame of queue) this.#reliable?.send(frame as string);
    this.emit('open', undefined);
  }

  #onMessage(data: unknown, reliable: boolean): void {
    if (typeof data !== 'string' && !(data instanceof ArrayBuffer)) return this.#badData('a message of an unknown kind');
    const size = bytesOver(data, this.#maxMessageSize);
    if (size !== null) return this.#badData(`a message of ${size} bytes`);
    if (data instanceof ArrayBuffer) return this.emit('message', { data, reliable });
    const parsed = parsePeerFrame(data);
    if (!parsed.ok) return this.#badData(parsed.message);
    const frame = parsed.frame;
    if (frame.t === 'msg') this.emit('message', { data: frame.data, reliable });
    else if (!reliable) this.#badData(`a "${frame.t}" frame on the unreliable channel`);
    else this.#onControl(frame);
  }

  #onControl(frame: Exclude<PeerFrame, { t: 'msg' }>): void {
    switch (frame.t) {
      case 'file-offer':
        return this.#onOffer(frame);
      case 'file-accept':
      case 'file-decline': {
        const sender = this.#outgoing.get(frame.id);
        if (sender) {
          if (!sender.onAnswer(frame.t === 'file-accept')) this.#badData(`an unexpected "${frame.t}"`);
        } else this.#unknown(frame.id, frame.t);
        return;
      }
      case 'file-received': {
        const sender = this.#outgoing.get(frame.id);
        if (sender) {
          if (!sender.onReceived()) this.#badData('a "file-received" before the file was sent');
        } else this.#unknown(frame.id, frame.t);
        return;
      }
      case 'file-cancel': {
        const transfer = this.#outgoing.get(frame.id) ?? this.#incoming.get(frame.id);
        if (transfer) transfer.onCancel(frame.reason);
        else this.#unknown(frame.id, frame.t);
        return;
      }
    }
  }

  #onOffer(offer: FileOfferFrame): void {
    if (this.#incoming.has(offer.id) || this.#ended.has(offer.id)) {
      this.#badData('a second offer with the same transfer id');
      return;
    }
    const pending = [...this.#incoming.values()].filter((file) => file.state === 'offered').length;
    if (pending >= this.#files.maxPendingOffers) {
      this.#link.control({ t: 'file-decline', id: offer.id });
      this.#badData(`more than ${this.#files.maxPendingOffers} file offers waiting at once`);
      return;
    }
    const file = new IncomingFile(offer, this.peerId, this.#link, (message) => this.#badData(message), this.#files);
    this.#track(this.#incoming, file);
    this.emit('file-offer', file);
  }

  readonly #onDataChannel = ({ channel }: RTCDataChannelEvent): void => {
    if (this.#closed) return;
    // Channels outside the file namespace are someone else's (the app's own): not ours to judge.
    if (!channel.label.startsWith(FILE_CHANNEL_PREFIX)) return;
    const id = transferIdOfLabel(channel.label);
    const file = id === null ? undefined : this.#incoming.get(id);
    if (file?.attach(channel)) return;
    channel.close();
    this.#badData(file ? 'a second channel for a transfer' : 'a file channel for an unknown or unaccepted transfer');
  };

  /** Keeps `transfer` in `map` until it ends, then remembers its id for a while. */
  #track<T extends FileSender | IncomingFile>(map: Map<string, T>, transfer: T): void {
    map.set(transfer.id, transfer);
    transfer.on('end', () => {
      map.delete(transfer.id);
      this.#ended.add(transfer.id);
      if (this.#ended.size > ENDED_MEMORY) this.#ended.delete(this.#ended.values().next().value as string);
    });
  }

  /** A control frame for an id we do not hold: late (quietly ignored) or made up. */
  #unknown(id: string, what: string): void {
    if (!this.#ended.has(id)) this.#badData(`a "${what}" for an unknown transfer`);
  }

  #badData(message: string): void {
    this.emit('error', new PonteError('BAD_PEER_DATA', `Peer ${this.peerId} sent ${message}.`));
  }
}
