/** A chat: a log of messages (shown as plain text, never as HTML) and a send form. */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { formatTime } from '../lib/format.js';

/** One message of the log. */
export interface ChatPanelEntry {
  readonly id: number;
  readonly from: 'local' | 'remote';
  /** Who wrote a remote message; "Them" when not given. */
  readonly sender?: string;
  readonly text: string;
  readonly sentAt: number;
}

/** Props of {@link ChatPanel}. */
export interface ChatPanelProps {
  readonly messages: readonly ChatPanelEntry[];
  /** Whether the chat is connected. */
  readonly open: boolean;
  readonly maxLength: number;
  /** Sends `text`; returns false when it could not be sent. */
  readonly onSend: (text: string) => boolean;
}

/** The chat log and its form. */
export function ChatPanel({ messages, open, maxLength, onSend }: ChatPanelProps): ReactElement {
  const [text, setText] = useState('');
  const logRef = useRef<HTMLOListElement>(null);
  const inputId = useId();
  const headingId = useId();

  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messages]);

  const send = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const message = text.trim();
    if (message && onSend(message)) setText('');
  };

  return (
    <section className="chat" aria-labelledby={headingId}>
      <h2 id={headingId}>Chat</h2>
      <ol ref={logRef} className="chat-log" role="log" aria-label="Chat messages" aria-live="polite">
        {messages.length === 0 ? <li className="chat-empty">{open ? 'No messages yet.' : 'The chat opens once you are connected.'}</li> : null}
        {messages.map((message) => (
          <li key={message.id} className={`chat-message chat-message--${message.from}`}>
            <span className="chat-meta">
              {message.from === 'local' ? 'You' : (message.sender ?? 'Them')} ·{' '}
              <time dateTime={new Date(message.sentAt).toISOString()}>{formatTime(message.sentAt)}</time>
            </span>
            <span className="chat-text">{message.text}</span>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={send}>
        <label htmlFor={inputId} className="visually-hidden">
          Message
        </label>
        <input
          id={inputId}
          type="text"
          autoComplete="off"
          maxLength={maxLength}
          placeholder={open ? 'Write a message' : 'Not connected yet'}
          value={text}
          disabled={!open}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit" className="button" disabled={!open || text.trim() === ''}>
          Send
        </button>
      </form>
    </section>
  );
}
