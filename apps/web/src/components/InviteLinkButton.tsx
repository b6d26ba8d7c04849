/**
 * "Copy invite link": copies the page's address, and says so in a live region. Where the
 * clipboard is unavailable (insecure origin, denied permission) it shows the link selected,
 * ready for the user to copy by hand.
 */
import { useEffect, useRef, type ReactElement } from 'react';
import { useCopyText, type CopyOutcome } from '../hooks/useCopyText.js';
import { LinkIcon } from './icons.js';

/** What the status line says after each copy outcome. */
const STATUS: Record<CopyOutcome, string> = { idle: '', copied: 'Link copied', failed: 'Copy the selected link to invite people' };

/** The button, its status message and its fallback link field. */
export function InviteLinkButton(): ReactElement {
  const { outcome, copy, reset } = useCopyText();
  const linkRef = useRef<HTMLInputElement>(null);
  const link = window.location.href;

  // Selected once the fallback field is on screen.
  useEffect(() => {
    if (outcome === 'failed') linkRef.current?.select();
  }, [outcome]);

  return (
    <div className="invite">
      <button type="button" className="control" onClick={() => void copy(link)}>
        <LinkIcon />
        <span className="control-label">Copy invite link</span>
      </button>
      <p className="invite-status" role="status" aria-live="polite">
        {STATUS[outcome]}
      </p>
      {outcome === 'failed' ? (
        <div className="invite-fallback">
          <label htmlFor="invite-link">Invite link</label>
          <input id="invite-link" ref={linkRef} readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
          <button type="button" className="alert-dismiss" onClick={reset}>
            Close
          </button>
        </div>
      ) : null}
    </div>
  );
}
