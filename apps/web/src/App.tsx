/** The app shell: picks the page for the current path. */
import { lazy, Suspense, type ReactElement } from 'react';
import { HomePage } from './pages/HomePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { RoomPage } from './pages/RoomPage.js';
import { isValidRoomId } from './lib/roomId.js';
import { matchRoute, usePathname } from './lib/router.js';

// Loaded on demand: only this page needs the QR code library.
const ManualPage = lazy(async () => ({ default: (await import('./pages/ManualPage.js')).ManualPage }));

/** Routes `/` to home, `/r/<id>` to the room, `/manual` to the serverless call, anything else to "not found". */
export function App(): ReactElement {
  const route = matchRoute(usePathname(), isValidRoomId);
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'room':
      // Keyed by id: moving to another room starts from a fresh lobby and leaves the old one.
      return <RoomPage key={route.roomId} roomId={route.roomId} />;
    case 'manual':
      return (
        <Suspense fallback={null}>
          <ManualPage />
        </Suspense>
      );
    case 'not-found':
      return <NotFoundPage />;
  }
}
