/**
 * Our code for the other person: a read-only text box, a "Copy code" button and a QR code.
 * Where the clipboard is unavailable the code is selected, ready to copy by hand.
 */
import { useEffect, useId, useRef, useState, type ReactElement } from 'react';
import { CodeQr } from './CodeQr.js';

/** How long "Code copied" stays on screen, in milliseconds. */
const STATUS_DURATION_MS = 4000;

/** Props of {@link CodeBox}. */
export interface CodeBoxProps {
  /** The text box's name, e.g. "Your offer code". */
  readonly label: string;
  readonly code: string;
  /** What to do with the code, shown under the label. */
  readonly hint: string;
}

/** The code, its copy button and its QR code. */
export function CodeBox({ label, code, hint }: CodeBoxProps): ReactElement {
  const [status, setStatus] = useState('');
  const boxRef = useRef<HTMLTextAreaElement>(null);
  const boxId = useId();
  const hintId = useId();

  useEffect(() => {
    if (!status) return undefined;
    const timer = window.setTimeout(() => setStatus(''), STATUS_DURATION_MS);
    return () => window.clearTimeout(timer);
  }, [status]);

  const copy = async (): Promise<void> => {
    try {
      if (!navigator.clipboard) throw new Error('clipboard unavailable');
      await navigator.clipboard.writeText(code);
      setStatus('Code copied');
    } catch {
      boxRef.current?.focus();
      boxRef.current?.select();
      setStatus('Copy the selected code (Ctrl+C or ⌘C)');
    }
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
        <button type="button" className="button button--primary" onClick={() => void copy()}>
          Copy code
        </button>
        <span className="code-status" role="status" aria-live="polite">
          {status}
        </span>
      </div>
      <CodeQr code={code} label={`QR code of ${label.toLowerCase()}`} />
    </div>
  );
}
