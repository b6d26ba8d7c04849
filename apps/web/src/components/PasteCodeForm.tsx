/** A text box for the other person's code, its button, and the reason a code was refused. */
import { useId, useState, type FormEvent, type ReactElement } from 'react';

/** Props of {@link PasteCodeForm}. */
export interface PasteCodeFormProps {
  /** The text box's name, e.g. "Paste the answer code". */
  readonly label: string;
  readonly hint: string;
  /** The button's text, e.g. "Connect". */
  readonly action: string;
  readonly busy: boolean;
  /** Why the last code was refused. */
  readonly error: string | null;
  readonly onSubmit: (code: string) => void;
}

/** The paste box and its submit button. */
export function PasteCodeForm({ label, hint, action, busy, error, onSubmit }: PasteCodeFormProps): ReactElement {
  const [code, setCode] = useState('');
  const boxId = useId();
  const hintId = useId();
  const errorId = useId();

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onSubmit(code);
  };

  return (
    <form className="paste-code" onSubmit={submit} noValidate>
      <label htmlFor={boxId}>{label}</label>
      <p id={hintId} className="hint">
        {hint}
      </p>
      <textarea
        id={boxId}
        className="code-text"
        rows={4}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        value={code}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        onChange={(event) => setCode(event.currentTarget.value)}
      />
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button--primary" disabled={busy}>
        {action}
      </button>
    </form>
  );
}
