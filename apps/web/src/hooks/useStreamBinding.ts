/** Binds a MediaStream to a `<video>` element. */
import { useEffect, useRef, type RefObject } from 'react';

/** The kinds of the tracks of `stream`, as one string ('' for none). */
function kindsOf(stream: MediaStream | null): string {
  return stream === null ? '' : [...new Set(stream.getTracks().map((track) => track.kind))].sort().join(',');
}

/**
 * Binds `stream` to the returned `<video>` ref. `trackKey` changes when the stream's tracks
 * change: the element is re-bound only when that gives it a kind of track it did not have
 * (a track added to the same stream object is only picked up by re-assigning it). A track
 * swapped for another of its kind (the SDK moving a peer between the mesh and the SFU) plays
 * on without re-binding, which would blank the video for a moment.
 */
export function useStreamBinding(stream: MediaStream | null, trackKey: string | number): RefObject<HTMLVideoElement | null> {
  const ref = useRef<HTMLVideoElement>(null);
  const bound = useRef<{ stream: MediaStream | null; kinds: string } | null>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    const kinds = kindsOf(stream);
    const previous = bound.current;
    bound.current = { stream, kinds };
    if (previous !== null && previous.stream === stream && video.srcObject === stream && !gainsKind(previous.kinds, kinds)) return;
    video.srcObject = null;
    video.srcObject = stream;
    // Autoplay may still be refused (no user gesture yet); the tile stays usable and the
    // next binding retries.
    if (stream) video.play().catch(() => undefined);
  }, [stream, trackKey]);
  return ref;
}

/** Whether `now` has a kind of track that `before` did not. */
function gainsKind(before: string, now: string): boolean {
  const had = new Set(before.split(',').filter(Boolean));
  return now
    .split(',')
    .filter(Boolean)
    .some((kind) => !had.has(kind));
}
