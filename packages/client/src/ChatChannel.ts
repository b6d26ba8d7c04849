/**
 * Text chat with one peer over a plain `RTCDataChannel` of a bare `RTCPeerConnection`.
 * Used by {@link ManualCall}; meant to merge into the SDK's peer data module (issue 3)
 * once that lands.
 */
import { PonteError } from './PonteError.js';
import { TypedEmitter } from './TypedEmitter.js';

/** The data channel label of the chat. */
export const CHAT_CHANNEL_LABEL = 'ponte-chat';
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
  /** The channel opened (messages can be sent). */
  open: undefined;
  /** The channel closed. */
  close: undefined;
}

/** Limits of a {@link ChatChannel}. */
export interface ChatChannelOptions {
  /** Longest message sent or accepted, in characters. Default {@link DEFAULT_CHAT_MAX_LENGTH}. */
  maxLength?: number;
}

/** Parses one wire frame (`{"t":"chat","text":…,"at":…}`); null when it is not one. */
export function parseChatFrame(data: unknown, maxLength = DEFAULT_CHAT_MAX_LENGTH): Omit<ChatMessage, 'from'> | null {
  if (typeof data !== 'string' || data.length > maxLength * 6 + 100) return null;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof frame !== 'object' || frame === null) return null;
  const { t, text, at } = frame as Record<string, unknown>;
  if (t !== 'chat' || typeof text !== 'string' || typeof at !== 'number' || !Number.isFinite(at)) return null;
  if (text.length === 0 || text.length > maxLength) return null;
  return { text, sentAt: at };
}

/**
 * A chat over one data channel. The side that makes the offer calls {@link ChatChannel.create}
 * before the offer is made, so the offer carries the data channel; the other side calls
 * {@link ChatChannel.accept}, which picks the channel up when it arrives. Frames that are
 * not chat messages are dropped: the peer is a trust boundary.
 */
export class ChatChannel extends TypedEmitter<ChatChannelEvents> {
  readonly #maxLength: number;
  #channel: RTCDataChannel | null = null;
  readonly #connection: RTCPeerConnection;
  readonly #onDataChannel = ({ channel }: RTCDataChannelEvent): void => {
    if (channel.label === CHAT_CHANNEL_LABEL && !this.#channel) this.#attach(channel);
  };

  private constructor(connection: RTCPeerConnection, options: ChatChannelOptions) {
    super();
    this.#connection = connection;
    this.#maxLength = options.maxLength ?? DEFAULT_CHAT_MAX_LENGTH;
  }

  /** Opens the chat channel on `connection` now (the offering side). */
  static create(connection: RTCPeerConnection, options: ChatChannelOptions = {}): ChatChannel {
    const chat = new ChatChannel(connection, options);
    chat.#attach(connection.createDataChannel(CHAT_CHANNEL_LABEL, { ordered: true }));
    return chat;
  }

  /** Waits for the peer's chat channel on `connection` (the answering side). */
  static accept(connection: RTCPeerConnection, options: ChatChannelOptions = {}): ChatChannel {
    const chat = new ChatChannel(connection, options);
    connection.addEventListener('datachannel', chat.#onDataChannel);
    return chat;
  }

  /** Whether messages can be sent now. */
  get isOpen(): boolean {
    return this.#channel?.readyState === 'open';
  }

  /** The longest message accepted, in characters. */
  get maxLength(): number {
    return this.#maxLength;
  }

  /**
   * Sends `text` and returns it as a message. Throws `INVALID_STATE` when the channel is
   * not open and `BAD_MESSAGE` when the text is empty or longer than the limit.
   */
  send(text: string): ChatMessage {
    const channel = this.#channel;
    if (!channel || channel.readyState !== 'open') throw PonteError.invalidState('The chat is not connected.');
    if (text.length === 0 || text.length > this.#maxLength) {
      throw new PonteError('BAD_MESSAGE', `A message must have 1 to ${this.#maxLength} characters.`);
    }
    const sentAt = Date.now();
    channel.send(JSON.stringify({ t: 'chat', text, at: sentAt }));
    return { text, sentAt, from: 'local' };
  }

  /** Closes the channel and forgets every listener. */
  close(): void {
    this.#connection.removeEventListener('datachannel', this.#onDataChannel);
    this.#channel?.close();
    this.#channel = null;
    this.removeAllListeners();
  }

  #attach(channel: RTCDataChannel): void {
    this.#channel = channel;
    channel.onopen = () => this.emit('open', undefined);
    channel.onclose = () => this.emit('close', undefined);
    channel.onmessage = ({ data }: MessageEvent<unknown>) => {
      const message = parseChatFrame(data, this.#maxLength);
      if (message) this.emit('message', { ...message, from: 'remote' });
    };
    if (channel.readyState === 'open') this.emit('open', undefined);
  }
}
