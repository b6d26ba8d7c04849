/**
 * A tiny router on `location.pathname` and `history.pushState`: the app has a home page,
 * a room page, the manual call and "not found", which do not warrant a router library.
 */
import { useSyncExternalStore, type MouseEvent } from 'react';

/** Fired on `window` after {@link navigate} changes the path. */
const NAVIGATE_EVENT = 'ponte:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function currentPath(): string {
  return window.location.pathname;
}

/** The current path; the component re-renders when it changes. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** Goes to `path` without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/**
 * A click handler for in-app links: plain left clicks navigate in place; modified clicks
 * (new tab, new window) keep the browser's behaviour.
 */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.pathname);
}

/** A route the app knows. */
export type Route =
  { readonly page: 'home' } | { readonly page: 'room'; readonly roomId: string } | { readonly page: 'manual' } | { readonly page: 'not-found' };

/** Maps a path to a route; room ids are checked by the caller's validator. */
export function matchRoute(path: string, isRoomId: (id: string) => boolean): Route {
  if (path === '/' || path === '') return { page: 'home' };
  if (path === '/manual' || path === '/manual/') return { page: 'manual' };
  const match = /^\/r\/([^/]+)\/?$/.exec(path);
  if (match?.[1]) {
    let id: string;
    try {
      id = decodeURIComponent(match[1]);
    } catch {
      return { page: 'not-found' };
    }
    if (isRoomId(id)) return { page: 'room', roomId: id };
  }
  return { page: 'not-found' };
}
