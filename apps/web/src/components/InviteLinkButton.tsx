/**
 * "Copy invite link": copies the page's address, and says so in a live region. Where the
 * clipboard is unavailable (insecure origin, denied permission) it shows the link selected,
 * ready for the user to copy by hand.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { LinkIcon } from './icons.js';

/** How long "Link copied" stays on screen, in milliseconds. */
const STATUS_DURATION_MS = 4000;

type CopyOutcome = 'idle' | 'copied' | 'manual';

/** The button, its status message and its fallback link field. */
export function InviteLinkButton(): ReactElement {
  const [outcome, setOutcome] = useState<CopyOutcome>('idle');
  const linkRef = useRef<HTMLInputElement>(null);
  const link = window.location.href;

  useEffect(() => {
    if (outcome !== 'copied') return undefined;
    const timer = window.setTimeout(() => setOutcome('idle'), STATUS_DURATION_MS);
    return () => window.clearTimeout(timer);
  }, [outcome]);

  useEffect(() => {
    if (outcome === 'manual') linkRef.current?.select();
  }, [outcome]);

  const copy = async (): Promise<void> => {
    try {
      if (!navigator.clipboard) throw new Error('clipboard unavailable');
      await navigator.clipboard.writeText(link);
      setOutcome('copied');
    } catch {
      setOutcome('manual');
    }
  };

  return (
    <div className="invite">
      <button type="button" className="control" onClick={() => void copy()}>
        <LinkIcon />
        <span className="control-label">Copy invite link</span>
      </button>
      <p className="invite-status" role="status" aria-live="polite">
        {outcome === 'copied' ? 'Link copied' : outcome === 'manual' ? 'Copy the selected link to invite people' : ''}
      </p>
      {outcome === 'manual' ? (
        <div className="invite-fallback">
          <label htmlFor="invite-link">Invite link</label>
          <input id="invite-link" ref={linkRef} readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
          <button type="button" className="alert-dismiss" onClick={() => setOutcome('idle')}>
            Close
          </button>
        </div>
      ) : null}
    </div>
  );
}
