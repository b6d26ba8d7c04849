import type { PeerId, RoomId } from '@ponte/protocol';
import type { DeliveryHandler, EncodedFrame, PeerBus, SupersedeHandler } from '@ponte/server';
import type { RedisLink } from './RedisLink.js';
import { readLogEntry, writeLogEntry } from './logEntry.js';

const NEWLINE = 0x0a;
const DROP: DeliveryHandler = () => {};

/** One message of a node's channel: a frame for one of its peers, or a `superseded` notice. */
export interface ChannelMessage {
  peerId: PeerId;
  frame: EncodedFrame;
  /** The frame's index in the peer's replay log; undefined when it was not logged. */
  logged: number | undefined;
}

/**
 * Reads one message of a node's channel, `<peer id>\n<log index>\n<type>\n<frame bytes>`
 * (a `superseded` notice carries the new epoch as its bytes, and index -1); undefined when it
 * is not one (nothing else publishes there, but a message is never trusted blindly).
 */
export function readChannelMessage(message: Buffer): ChannelMessage | undefined {
  const first = message.indexOf(NEWLINE);
  const second = first < 0 ? -1 : message.indexOf(NEWLINE, first + 1);
  const frame = second < 0 ? undefined : readLogEntry(message, second + 1);
  if (frame === undefined) return undefined;
  const index = Number(message.toString('latin1', first + 1, second));
  return { peerId: message.toString('utf8', 0, first), frame, logged: Number.isInteger(index) && index >= 0 ? index : undefined };
}

/**
 * The {@link PeerBus} over Redis. Each process (node) subscribes to a channel of its own; a
 * peer's owner key names the node that receives its frames. Delivering is one script: check
 * membership, append the frame to the peer's replay log, and publish it with its log index
 * to the owner's channel. Logged before anyone receives it, a frame survives the death of the
 * process it was sent to (or the peer being between processes): the peer gets it when it
 * resumes wherever it does, and the index lets the receiver drop what a replay already gave. Frames from one process reach another
 * in order: one command connection, scripts run one at a time, one channel per node.
 */
export class RedisPeerBus implements PeerBus {
  readonly #link: RedisLink;
  readonly #node: string;
  readonly #replayLimit: number;
  readonly #channel: string;
  #deliver: DeliveryHandler = DROP;
  #supersede: SupersedeHandler = () => {};
  #closed = false;

  constructor(link: RedisLink, node: string, replayLimit: number) {
    this.#link = link;
    this.#node = node;
    this.#replayLimit = replayLimit;
    this.#channel = link.keys.channel(node);
    link.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      if (channel.toString() !== this.#channel) return;
      const read = readChannelMessage(message);
      if (read === undefined) return;
      // The session store's attach publishes `superseded` with the new epoch (scripts.ts).
      if ((read.frame.type as string) === 'superseded') this.#supersede(read.peerId, Number(read.frame.bytes.toString()));
      else this.#deliver(read.peerId, read.frame, read.logged);
    });
  }

  /** Subscribes to this node's channel (ioredis subscribes again after a reconnect). */
  async start(): Promise<void> {
    await this.#link.subscriber.subscribe(this.#channel);
  }

  /** @inheritDoc */
  setDeliveryHandler(handler: DeliveryHandler): void {
    this.#deliver = handler;
  }

  /** @inheritDoc */
  setSupersedeHandler(handler: SupersedeHandler): void {
    this.#supersede = handler;
  }

  /** @inheritDoc */
  async register(peerId: PeerId): Promise<void> {
    await this.#link.commands.set(this.#link.keys.owner(peerId), this.#node);
  }

  /** @inheritDoc */
  async unregister(peerId: PeerId): Promise<void> {
    await this.#link.run('ponteUnregister', peerId, this.#node);
  }

  /** @inheritDoc */
  async deliver(room: RoomId, peerId: PeerId, frame: EncodedFrame): Promise<boolean> {
    return (await this.#link.run('ponteDeliver', room, peerId, writeLogEntry(frame), this.#replayLimit)) === 1;
  }

  /** @inheritDoc */
  async broadcast(room: RoomId, frame: EncodedFrame, exceptPeerId?: PeerId): Promise<void> {
    await this.#link.run('ponteBroadcast', room, exceptPeerId ?? '', writeLogEntry(frame), this.#replayLimit);
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#deliver = DROP;
    if (this.#link.subscriber.status === 'ready') await this.#link.subscriber.unsubscribe(this.#channel).catch(() => {});
  }
}
