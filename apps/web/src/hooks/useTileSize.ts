/** Tells the room how large a peer's video is shown, so that an SFU sends the layer that fills it. */
import { useEffect, useRef, type RefObject } from 'react';
import { layerForTile, type TileSize } from '@ponte/client';

/** What a tile reports its size to: `room.setTileSize` (a `Room` is one). */
export interface TileSizeSink {
  setTileSize(peerId: string, size: TileSize | null, devicePixelRatio?: number): void;
}

/**
 * Watches the `<video>` element of `peerId`'s tile with a `ResizeObserver` and reports its
 * size to `sink` (`null` while `shown` is false, when the element has no size, as under
 * `hidden`, and when the tile unmounts). Only a change of the simulcast layer the size needs
 * ({@link layerForTile}), or of shown to not shown, is reported: each report is a frame to
 * the server, and a window being resized fires the observer at every step.
 */
export function useTileSize(sink: TileSizeSink | null, peerId: string, shown: boolean, video: RefObject<HTMLVideoElement | null>): void {
  // What was last reported, across effect runs: a tile hidden then unmounted reports once.
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (!sink) return undefined;
    const report = (size: TileSize | null): void => {
      const ratio = window.devicePixelRatio || 1;
      const visible = size !== null && size.width > 0 && size.height > 0;
      const key = visible ? `layer ${layerForTile(size, ratio)}` : 'hidden';
      if (key === reported.current) return;
      reported.current = key;
      sink.setTileSize(peerId, visible ? size : null, ratio);
    };
    const element = video.current;
    if (!shown || !element) {
      report(null);
      return undefined;
    }
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) report({ width: Math.round(box.width), height: Math.round(box.height) });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      report(null);
    };
  }, [sink, peerId, shown, video]);
}
