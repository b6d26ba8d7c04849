/** The participants list: everyone in the call, with their media state in words. */
import type { ReactElement } from 'react';
import type { TopologyMode } from '@ponte/client';
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
  /** How the room carries media, said under the heading. */
  readonly topology?: TopologyMode | undefined;
  /** The ids of those speaking now ("speaking" after their media state). */
  readonly speaking?: ReadonlySet<string> | undefined;
}

const TOPOLOGY_LABELS: Record<TopologyMode, string> = {
  mesh: 'Connected peer to peer',
  sfu: 'Through the media server (SFU)',
};

/** How the room carries media, in words. */
export function describeTopology(topology: TopologyMode): string {
  return TOPOLOGY_LABELS[topology];
}

/** An `<aside>` named "Participants", headed "Participants (N)", then how the room is connected. */
export function ParticipantsList({ participants, topology, speaking }: ParticipantsListProps): ReactElement {
  return (
    <aside className="participants" aria-label="Participants">
      <h2 className="participants-heading">Participants ({participants.length})</h2>
      {topology ? (
        <p className="participants-topology" data-topology={topology}>
          {describeTopology(topology)}
        </p>
      ) : null}
      <ul className="participants-list">
        {participants.map((participant) => (
          <li key={participant.id} className="participant" data-peer-id={participant.id}>
            <span className="participant-name">
              {participant.name}
              {participant.isLocal ? ' (you)' : ''}
            </span>
            <span className="participant-media">
              {describeMedia(participant)}
              {speaking?.has(participant.id) ? ', speaking' : ''}
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
