/** The window's size, kept up to date. */
import { useSyncExternalStore } from 'react';
import type { Viewport } from '../lib/layout.js';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

// One object per size, so that React sees no change while the size stays the same.
let last: Viewport = { width: 0, height: 0 };
function current(): Viewport {
  const { innerWidth: width, innerHeight: height } = window;
  if (width !== last.width || height !== last.height) last = { width, height };
  return last;
}

/** The window's width and height in CSS pixels; the component re-renders when they change. */
export function useViewport(): Viewport {
  return useSyncExternalStore(subscribe, current);
}
