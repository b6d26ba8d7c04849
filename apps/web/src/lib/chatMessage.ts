/**
 * The app's chat message, as it travels peer to peer through `room.send`. What a peer sends
 * is untrusted: anything that is not exactly this shape is ignored.
 */

/** Longest chat message, in characters. */
export const CHAT_MAX_LENGTH = 2000;

/** A chat message on the wire (a type, not an interface, so it is assignable to a JSON value). */
export type ChatWireMessage = {
  readonly kind: 'chat';
  readonly text: string;
};

/** The wire form of `text`. */
export function chatMessage(text: string): ChatWireMessage {
  return { kind: 'chat', text };
}

/** The text of a chat message from a peer, or null when `data` is not one. */
export function parseChatMessage(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { kind, text } = data as Record<string, unknown>;
  if (kind !== 'chat' || typeof text !== 'string') return null;
  if (text.trim() === '' || text.length > CHAT_MAX_LENGTH) return null;
  return text;
}
