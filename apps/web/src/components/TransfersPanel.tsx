/**
 * The files panel: send a file to everyone or to one participant (button or drag and drop),
 * and every transfer with its progress, rate and time left, Accept/Decline for offers,
 * Cancel while it runs, and a download link once a file has arrived.
 */
import { useId, useRef, useState, type DragEvent, type ReactElement } from 'react';
import type { TransferView } from '../hooks/useTransfers.js';
import { formatBytes, formatEta, formatRate } from '../lib/format.js';

/** A participant a file can be sent to. */
export interface Recipient {
  readonly id: string;
  readonly name: string;
}

/** Props of {@link TransfersPanel}. */
export interface TransfersPanelProps {
  readonly transfers: readonly TransferView[];
  /** Everyone else in the room. */
  readonly recipients: readonly Recipient[];
  /** Sends `file` to one participant (by id) or to everyone (null). */
  readonly onSend: (file: File, to: string | null) => void;
  readonly onAccept: (key: string) => void;
  readonly onDecline: (key: string) => void;
  readonly onCancel: (key: string) => void;
}

function statusOf(transfer: TransferView): string {
  if (transfer.outcome) return transfer.outcome;
  if (transfer.state === 'offered') {
    return transfer.direction === 'incoming' ? `${transfer.peer} offers a file` : `Waiting for ${transfer.peer} to accept`;
  }
  const { bytes, size, rate, eta } = transfer.progress;
  const percent = size > 0 ? Math.floor((bytes / size) * 100) : 100;
  return [`${percent}%`, rate > 0 ? formatRate(rate) : '', formatEta(eta)].filter(Boolean).join(' · ');
}

function TransferItem({
  transfer,
  onAccept,
  onDecline,
  onCancel,
}: { transfer: TransferView } & Pick<TransfersPanelProps, 'onAccept' | 'onDecline' | 'onCancel'>): ReactElement {
  const { key, name, state, direction } = transfer;
  const running = state === 'offered' || state === 'active';
  const bytes = state === 'done' ? transfer.size : transfer.progress.bytes;
  return (
    <li role="group" aria-label={name} className={`transfer transfer--${state}`}>
      <div className="transfer-head">
        <span className="transfer-name">{name}</span>
        <span className="transfer-size">{formatBytes(transfer.size)}</span>
      </div>
      <div className="transfer-peer">{direction === 'incoming' ? `From ${transfer.peer}` : `To ${transfer.peer}`}</div>
      <progress aria-label={`${name} progress`} max={Math.max(transfer.size, 1)} value={transfer.size === 0 && state === 'done' ? 1 : bytes} />
      {/* Not a live region: it changes ten times a second while bytes flow. */}
      <div className="transfer-status">{statusOf(transfer)}</div>
      <div className="transfer-actions">
        {direction === 'incoming' && state === 'offered' ? (
          <>
            <button type="button" className="button button--small button--primary" onClick={() => onAccept(key)}>
              Accept
            </button>
            <button type="button" className="button button--small" onClick={() => onDecline(key)}>
              Decline
            </button>
          </>
        ) : running ? (
          <button type="button" className="button button--small" onClick={() => onCancel(key)}>
            Cancel
          </button>
        ) : null}
        {transfer.url ? (
          <a className="button button--small button--primary" href={transfer.url} download={name}>
            Download {name}
          </a>
        ) : null}
      </div>
    </li>
  );
}

/** A section named "Files". */
export function TransfersPanel(props: TransfersPanelProps): ReactElement {
  const { recipients, onSend } = props;
  const [to, setTo] = useState('');
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const selectId = useId();
  // A chosen participant who has left falls back to everyone.
  const target = recipients.some((recipient) => recipient.id === to) ? to : '';
  const nobody = recipients.length === 0;

  const sendAll = (files: FileList | null): void => {
    if (!files || nobody) return;
    for (const file of files) onSend(file, target === '' ? null : target);
  };

  const onDrop = (event: DragEvent<HTMLElement>): void => {
    event.preventDefault();
    setDragging(false);
    sendAll(event.dataTransfer.files);
  };

  return (
    <section
      className={`transfers${dragging ? ' transfers--dragging' : ''}`}
      aria-labelledby={headingId}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h2 id={headingId} className="participants-heading">
        Files
      </h2>
      <div className="transfers-send">
        <label htmlFor={selectId}>Send to</label>
        <select id={selectId} value={target} onChange={(event) => setTo(event.currentTarget.value)} disabled={nobody}>
          <option value="">Everyone</option>
          {recipients.map((recipient) => (
            <option key={recipient.id} value={recipient.id}>
              {recipient.name}
            </option>
          ))}
        </select>
        <button type="button" className="button button--small" disabled={nobody} onClick={() => input.current?.click()}>
          Send file
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          onChange={(event) => {
            sendAll(event.currentTarget.files);
            event.currentTarget.value = '';
          }}
        />
      </div>
      <p className="drop-zone" data-testid="drop-zone">
        {nobody ? 'Files can be sent once someone joins.' : 'Or drop files here. They go straight to the others, not through the server.'}
      </p>
      {props.transfers.length > 0 ? (
        <ul className="transfers-list">
          {props.transfers.map((transfer) => (
            <TransferItem key={transfer.key} transfer={transfer} onAccept={props.onAccept} onDecline={props.onDecline} onCancel={props.onCancel} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
