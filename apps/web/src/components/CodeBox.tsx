/**
 * Our code for the other person: a read-only text box, a "Copy code" button and a QR code.
 * Where the clipboard is unavailable the code is selected, ready to copy by hand.
 */
import { useId, useRef, type ReactElement } from 'react';
import { useCopyText, type CopyOutcome } from '../hooks/useCopyText.js';
import { CodeQr } from './CodeQr.js';

/** Props of {@link CodeBox}. */
export interface CodeBoxProps {
  /** The text box's name, e.g. "Your offer code". */
  readonly label: string;
  readonly code: string;
  /** What to do with the code, shown under the label. */
  readonly hint: string;
}

/** What the status line says after each copy outcome. */
const STATUS: Record<CopyOutcome, string> = { idle: '', copied: 'Code copied', failed: 'Copy the selected code (Ctrl+C or ⌘C)' };

/** The code, its copy button and its QR code. */
export function CodeBox({ label, code, hint }: CodeBoxProps): ReactElement {
  const { outcome, copy } = useCopyText();
  const boxRef = useRef<HTMLTextAreaElement>(null);
  const boxId = useId();
  const hintId = useId();

  const copyCode = async (): Promise<void> => {
    if (await copy(code)) return;
    boxRef.current?.focus();
    boxRef.current?.select();
  };

  return (
    <div className="code-box">
      <label htmlFor={boxId}>{label}</label>
      <p id={hintId} className="hint">
        {hint}
      </p>
      <textarea
        id={boxId}
        ref={boxRef}
        className="code-text"
        readOnly
        rows={4}
        spellCheck={false}
        value={code}
        aria-describedby={hintId}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div className="code-actions">
        <button type="button" className="button button--primary" onClick={() => void copyCode()}>
          Copy code
        </button>
        <span className="code-status" role="status" aria-live="polite">
          {STATUS[outcome]}
        </span>
      </div>
      <CodeQr code={code} label={`QR code of ${label.toLowerCase()}`} />
    </div>
  );
}
