/** Previous/next buttons between pages of participants, with "Page N of M" between them. */
import type { ReactElement } from 'react';
import { ChevronIcon } from './icons.js';

/** Props of {@link Pager}. */
export interface PagerProps {
  /** The page shown, from 0. */
  readonly page: number;
  /** How many pages there are (the pager is drawn only when there are several). */
  readonly count: number;
  readonly onChange: (page: number) => void;
}

/**
 * A `<nav>` named "Participant pages": buttons named "Previous page of participants" and
 * "Next page of participants" (disabled at either end) around a live "Page 2 of 4".
 */
export function Pager({ page, count, onChange }: PagerProps): ReactElement | null {
  if (count <= 1) return null;
  return (
    <nav className="pager" aria-label="Participant pages">
      <button
        type="button"
        className="pager-button"
        aria-label="Previous page of participants"
        disabled={page <= 0}
        onClick={() => onChange(page - 1)}
      >
        <ChevronIcon previous />
      </button>
      <span className="pager-status" role="status">
        Page {page + 1} of {count}
      </span>
      <button
        type="button"
        className="pager-button"
        aria-label="Next page of participants"
        disabled={page >= count - 1}
        onClick={() => onChange(page + 1)}
      >
        <ChevronIcon />
      </button>
    </nav>
  );
}
