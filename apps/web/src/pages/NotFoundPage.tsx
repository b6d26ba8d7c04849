/** Any path the app does not know. */
import type { ReactElement } from 'react';
import { followLink } from '../lib/router.js';

/** "Page not found", with a link home. */
export function NotFoundPage(): ReactElement {
  return (
    <main className="page page--light centered">
      <div className="card">
        <h1>Page not found</h1>
        <p>There is no page at this address. If you followed an invite link, check that it is complete.</p>
        <a className="button button--primary" href="/" onClick={followLink}>
          Go to the home page
        </a>
      </div>
    </main>
  );
}
