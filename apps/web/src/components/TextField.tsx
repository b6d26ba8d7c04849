/** A labelled one-line text input, with an optional hint under it and an error message after it. */
import { useId, type InputHTMLAttributes, type ReactElement } from 'react';

/** Props of {@link TextField}: those of an `<input>` (less what the field wires up itself), plus these. */
export interface TextFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'aria-describedby' | 'aria-invalid'
> {
  /** The visible label, which is also the input's accessible name. */
  readonly label: string;
  readonly value: string;
  readonly onValueChange: (value: string) => void;
  /** Shown under the input and read as its description. */
  readonly hint?: string;
  /** Why the value is refused: marks the input invalid and is announced as an alert. */
  readonly error?: string | null;
}

/** The `.field` block (label, input, hint) and, when there is one, its error message. */
export function TextField({ label, value, onValueChange, hint, error, type = 'text', ...input }: TextFieldProps): ReactElement {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          {...input}
          id={id}
          type={type}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(event) => onValueChange(event.currentTarget.value)}
        />
        {hint ? (
          <p id={hintId} className="hint">
            {hint}
          </p>
        ) : null}
      </div>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
