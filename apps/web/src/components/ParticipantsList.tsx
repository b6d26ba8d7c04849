/** The participants list: everyone in the call, with their media state in words. */
import type { ReactElement } from 'react';
import type { ParticipantView } from '../hooks/useRoom.js';
import { describeConnection } from './VideoTile.js';

/** The media state of a participant, in words (e.g. "microphone on, camera off"). */
export function describeMedia(participant: ParticipantView): string {
  const { audio, video, screen } = participant.state;
  const parts = [`microphone ${audio ? 'on' : 'off'}`, `camera ${video ? 'on' : 'off'}`];
  if (screen) parts.push('sharing screen');
  if (participant.connectionState !== 'connected') parts.push(describeConnection(participant.connectionState).toLowerCase());
  return parts.join(', ');
}

/** Props of {@link ParticipantsList}. */
export interface ParticipantsListProps {
  /** Ourselves first, then the others. */
  readonly participants: readonly ParticipantView[];
}

/** An `<aside>` named "Participants", headed "Participants (N)". */
export function ParticipantsList({ participants }: ParticipantsListProps): ReactElement {
  return (
    <aside className="participants" aria-label="Participants">
      <h2 className="participants-heading">Participants ({participants.length})</h2>
      <ul className="participants-list">
        {participants.map((participant) => (
          <li key={participant.id} className="participant" data-peer-id={participant.id}>
            <span className="participant-name">
              {participant.name}
              {participant.isLocal ? ' (you)' : ''}
            </span>
            <span className="participant-media">{describeMedia(participant)}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
