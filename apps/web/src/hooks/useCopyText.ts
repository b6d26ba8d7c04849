/** Copying text to the clipboard, with an outcome for the page to show. */
import { useCallback, useEffect, useState } from 'react';

/** How long the "copied" outcome lasts before it returns to idle, in milliseconds. */
export const COPIED_DURATION_MS = 4000;

/**
 * `'copied'` for {@link COPIED_DURATION_MS}; `'failed'` where the clipboard is unavailable
 * (insecure origin, denied permission) until the next try or `reset()`, so the page can offer
 * the text to copy by hand meanwhile.
 */
export type CopyOutcome = 'idle' | 'copied' | 'failed';

/** What {@link useCopyText} returns. */
export interface CopyText {
  readonly outcome: CopyOutcome;
  /** Copies `text`; resolves to whether the clipboard took it. */
  readonly copy: (text: string) => Promise<boolean>;
  readonly reset: () => void;
}

/** Copies text to the clipboard and remembers how that went. */
export function useCopyText(): CopyText {
  const [outcome, setOutcome] = useState<CopyOutcome>('idle');

  useEffect(() => {
    if (outcome !== 'copied') return undefined;
    const timer = window.setTimeout(() => setOutcome('idle'), COPIED_DURATION_MS);
    return () => window.clearTimeout(timer);
  }, [outcome]);

  const copy = useCallback(async (text: string): Promise<boolean> => {
    try {
      if (!navigator.clipboard) throw new Error('clipboard unavailable');
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
      return true;
    } catch {
      setOutcome('failed');
      return false;
    }
  }, []);

  const reset = useCallback(() => setOutcome('idle'), []);
  return { outcome, copy, reset };
}
