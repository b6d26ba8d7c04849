/**
 * Text chat with one peer, as JSON messages on that peer's {@link PeerData} link (its
 * reliable, ordered channel). Used by {@link ManualCall}; works on any `PeerData`.
 */
import type { JsonValue, PeerData, PeerMessage } from './PeerData.js';
import { PonteError } from '../errors/PonteError.js';
import { TypedEmitter } from '../events/TypedEmitter.js';

/** The longest chat message by default, in characters. */
export const DEFAULT_CHAT_MAX_LENGTH = 2000;

/** One chat message, sent or received. */
export interface ChatMessage {
  /** Plain text; show it as text, never as HTML. */
  text: string;
  /** When the sender sent it, in ms since the epoch (by the sender's clock). */
  sentAt: number;
  /** Who wrote it. */
  from: 'local' | 'remote';
}

/** Events of a {@link ChatChannel}. */
export interface ChatChannelEvents {
  /** A message arrived from the peer. */
  message: ChatMessage;
  /** The data link opened: messages can be sent. */
  open: undefined;
}

/** Limits of a {@link ChatChannel}. */
export interface ChatChannelOptions {
  /** Longest message sent or accepted, in characters. Default {@link DEFAULT_CHAT_MAX_LENGTH}. */
  maxLength?: number;
}

/**
 * Reads one chat message (`{"type":"chat","text":…,"at":…}`) out of a peer message's data;
 * null when it is not one (other messages on the link, or a malformed one).
 */
export function parseChatMessage(data: JsonValue | ArrayBuffer, maxLength = DEFAULT_CHAT_MAX_LENGTH): Omit<ChatMessage, 'from'> | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || data instanceof ArrayBuffer) return null;
  const { type, text, at } = data;
  if (type !== 'chat' || typeof text !== 'string' || typeof at !== 'number' || !Number.isFinite(at)) return null;
  if (text.length === 0 || text.length > maxLength) return null;
  return { text, sentAt: at };
}

/**
 * A chat over a {@link PeerData} link. Messages that are not chat messages are left to the
 * link's other listeners; malformed chat messages are dropped (the peer is a trust boundary).
 */
export class ChatChannel extends TypedEmitter<ChatChannelEvents> {
  readonly #data: PeerData;
  readonly #maxLength: number;
  readonly #off: (() => void)[];

  constructor(data: PeerData, options: ChatChannelOptions = {}) {
    super();
    this.#data = data;
    this.#maxLength = options.maxLength ?? DEFAULT_CHAT_MAX_LENGTH;
    this.#off = [
      data.on('open', () => this.emit('open', undefined)),
      data.on('message', (message: PeerMessage) => {
        const chat = message.reliable ? parseChatMessage(message.data, this.#maxLength) : null;
        if (chat) this.emit('message', { ...chat, from: 'remote' });
      }),
    ];
  }

  /** Whether messages can be sent now. */
  get isOpen(): boolean {
    return this.#data.open;
  }

  /** The longest message accepted, in characters. */
  get maxLength(): number {
    return this.#maxLength;
  }

  /**
   * Sends `text` and returns it as a message. Throws `INVALID_STATE` when the link is not
   * open and `BAD_MESSAGE` when the text is empty or longer than the limit.
   */
  send(text: string): ChatMessage {
    if (!this.#data.open) throw PonteError.invalidState('The chat is not connected.');
    if (text.length === 0 || text.length > this.#maxLength) {
      throw new PonteError('BAD_MESSAGE', `A message must have 1 to ${this.#maxLength} characters.`);
    }
    const sentAt = Date.now();
    this.#data.send({ type: 'chat', text, at: sentAt });
    return { text, sentAt, from: 'local' };
  }

  /** Stops listening to the link (the link itself stays open) and forgets every listener. */
  close(): void {
    for (const off of this.#off.splice(0)) off();
    this.removeAllListeners();
  }
}
