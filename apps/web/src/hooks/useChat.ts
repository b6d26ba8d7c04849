/**
 * The room's chat: messages travel peer to peer with `room.send`, never through the server.
 * Counts messages that arrive while the chat panel is closed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Room } from '@ponte/client';
import { chatMessage, parseChatMessage } from '../lib/chatMessage.js';

/** One message in the chat log. */
export interface RoomChatEntry {
  readonly id: number;
  readonly from: 'local' | 'remote';
  /** The sender's display name when the message arrived. */
  readonly sender: string;
  readonly text: string;
  /** When it was sent (ours) or received (theirs), by our clock, in ms since the epoch. */
  readonly sentAt: number;
}

/** What {@link useChat} returns. */
export interface RoomChat {
  readonly messages: readonly RoomChatEntry[];
  /** Messages from others since the panel was last open. */
  readonly unread: number;
  /** Sends `text` to everyone; false when it could not be sent. */
  readonly send: (text: string) => boolean;
}

/** Most messages kept in the log; older ones scroll away for good. */
const LOG_LIMIT = 500;

/** The chat of `room`; `open` says whether the panel shows it (then nothing is unread). */
export function useChat(room: Room, open: boolean): RoomChat {
  const [messages, setMessages] = useState<readonly RoomChatEntry[]>([]);
  const [unread, setUnread] = useState(0);
  const openRef = useRef(open);
  const nextId = useRef(0);

  const append = useCallback((entry: Omit<RoomChatEntry, 'id'>) => {
    const id = nextId.current++;
    setMessages((current) => [...current, { ...entry, id }].slice(-LOG_LIMIT));
  }, []);

  useEffect(() => {
    openRef.current = open;
    if (open) setUnread(0);
  }, [open]);

  useEffect(
    () =>
      room.on('message', ({ from, data }) => {
        const text = parseChatMessage(data);
        if (text === null) return;
        append({ from: 'remote', sender: from.name, text, sentAt: Date.now() });
        if (!openRef.current) setUnread((count) => count + 1);
      }),
    [room, append],
  );

  const send = useCallback(
    (text: string): boolean => {
      try {
        room.send(chatMessage(text));
      } catch {
        return false;
      }
      append({ from: 'local', sender: room.self?.name ?? 'You', text, sentAt: Date.now() });
      return true;
    },
    [room, append],
  );

  return { messages, unread, send };
}
