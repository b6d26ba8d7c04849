/** Polls a room's connection statistics for the quality indicators and the stats panel. */
import { useEffect, useState } from 'react';
import type { PeerStats, Room } from '@ponte/client';

/** How often statistics are read, in ms. */
export const STATS_INTERVAL_MS = 2_000;

/** The latest statistics of each peer, by peer id (empty until the first reading). */
export function useRoomStats(room: Room | null): ReadonlyMap<string, PeerStats> {
  const [stats, setStats] = useState<ReadonlyMap<string, PeerStats>>(new Map());
  useEffect(() => {
    if (!room) return undefined;
    let stopped = false;
    const read = (): void => {
      room.getStats().then(
        (list) => {
          if (!stopped) setStats(new Map(list.map((entry) => [entry.peerId, entry])));
        },
        () => undefined,
      );
    };
    read();
    const timer = setInterval(read, STATS_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [room]);
  return stats;
}
