/** The responsive grid of participant tiles. */
import type { ReactElement } from 'react';
import type { ConnectionQuality } from '@ponte/client';
import type { ParticipantView } from '../hooks/useRoom.js';
import { VideoTile } from './VideoTile.js';

/** Props of {@link VideoGrid}. */
export interface VideoGridProps {
  /** Ourselves first, then the others. */
  readonly participants: readonly ParticipantView[];
  /** Each remote peer's connection quality, by id. */
  readonly qualities?: ReadonlyMap<string, ConnectionQuality>;
}

/** Tiles auto-fit the width: one column on a phone, more as the screen grows. */
export function VideoGrid({ participants, qualities }: VideoGridProps): ReactElement {
  // The count class lets CSS cap tile width for small calls, so one or two tiles do not
  // stretch across a wide screen.
  const countClass = `video-grid--count-${Math.min(participants.length, 5)}`;
  return (
    <section className={`video-grid ${countClass}`} aria-label="Video">
      {participants.map((participant) => (
        <VideoTile key={participant.id} participant={participant} quality={qualities?.get(participant.id)} />
      ))}
    </section>
  );
}
