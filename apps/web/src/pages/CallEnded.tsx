/** Shown when the room closed on its own: connection lost, server gone, removed. */
import type { ReactElement } from 'react';
import type { RoomClosure } from '../hooks/useRoom.js';
import { describeError } from '../lib/errorMessages.js';
import { followLink } from '../lib/router.js';

/** Props of {@link CallEnded}. */
export interface CallEndedProps {
  readonly closure: RoomClosure;
  readonly onRejoin: () => void;
}

/** A clear message, a way back home, and a way back in. */
export function CallEnded({ closure, onRejoin }: CallEndedProps): ReactElement {
  const message = closure.error ? describeError(closure.error, 'room') : 'The call ended.';
  return (
    <main className="page page--light centered">
      <div className="card">
        <h1>You are no longer in the call</h1>
        <p role="alert" className="alert-inline">
          {message}
        </p>
        <div className="button-row">
          <button type="button" className="button button--primary" onClick={onRejoin}>
            Rejoin
          </button>
          <a className="button" href="/" onClick={followLink}>
            Back to home
          </a>
        </div>
      </div>
    </main>
  );
}
