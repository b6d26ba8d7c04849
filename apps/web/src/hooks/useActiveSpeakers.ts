/** Who speaks in the room now, and who spoke most recently, from the room's `active-speakers` events. */
import { useEffect, useState } from 'react';
import type { Room } from '@ponte/client';
import { updateSpeakerHistory } from '../lib/layout.js';

/** The speakers of a room as the call view uses them. */
export interface ActiveSpeakers {
  /** The peers speaking now (their tiles are highlighted). */
  readonly speaking: ReadonlySet<string>;
  /** The peers who spoke, most recent first (who speaker view shows large, who pages show first). */
  readonly recent: readonly string[];
}

const NOBODY: ActiveSpeakers = { speaking: new Set(), recent: [] };

/**
 * The active speakers of `room`. The SDK tells them in rooms carried by an SFU (it hears
 * everyone's audio levels); in a mesh nobody is ever named, and the layouts fall back to
 * join order. Peers who leave drop out of both lists.
 */
export function useActiveSpeakers(room: Room | null): ActiveSpeakers {
  const [speakers, setSpeakers] = useState<ActiveSpeakers>(NOBODY);
  useEffect(() => {
    setSpeakers(NOBODY);
    if (!room) return undefined;
    let current: string[] = [];
    const offs = [
      room.on('active-speakers', ({ peers }) => {
        const next = peers.map((peer) => peer.id);
        // Captured now: React may run the updater later, after `current` has moved on.
        const before = current;
        current = next;
        setSpeakers((previous) => ({ speaking: new Set(next), recent: updateSpeakerHistory(previous.recent, before, next) }));
      }),
      room.on('peer-left', ({ peer }) => {
        current = current.filter((id) => id !== peer.id);
        setSpeakers((previous) => {
          if (!previous.recent.includes(peer.id)) return previous;
          const speaking = new Set(previous.speaking);
          speaking.delete(peer.id);
          return { speaking, recent: previous.recent.filter((id) => id !== peer.id) };
        });
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [room]);
  return speakers;
}
