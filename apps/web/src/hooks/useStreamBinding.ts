/** Binds a MediaStream to a `<video>` element. */
import { useEffect, useRef, type RefObject } from 'react';

/**
 * Binds `stream` to the returned `<video>` ref, re-binding when `trackKey` changes (tracks
 * added to the same stream object are only picked up by re-assigning it).
 */
export function useStreamBinding(stream: MediaStream | null, trackKey: string | number): RefObject<HTMLVideoElement | null> {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = null;
    video.srcObject = stream;
    // Autoplay may still be refused (no user gesture yet); the tile stays usable and the
    // next binding retries.
    if (stream) video.play().catch(() => undefined);
  }, [stream, trackKey]);
  return ref;
}
