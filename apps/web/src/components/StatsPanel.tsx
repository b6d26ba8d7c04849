/** The connection statistics of every peer, in a collapsible panel. */
import { useId, useState, type ReactElement } from 'react';
import type { PeerStats } from '@ponte/client';
import type { ParticipantView } from '../hooks/useRoom.js';

/** Props of {@link StatsPanel}. */
export interface StatsPanelProps {
  readonly peers: readonly ParticipantView[];
  readonly stats: ReadonlyMap<string, PeerStats>;
}

const round = (value: number | null, unit: string): string => (value === null ? '–' : `${Math.round(value)} ${unit}`);

function path(stats: PeerStats): string {
  if (!stats.local || !stats.remote) return '–';
  return `${stats.local.type} → ${stats.remote.type} (${stats.local.protocol})`;
}

function worst(stats: PeerStats, pick: (track: PeerStats['tracks'][number]) => number | null): number | null {
  const values = stats.tracks.map(pick).filter((value): value is number => value !== null);
  return values.length > 0 ? Math.max(...values) : null;
}

function PeerRow({ name, stats }: { readonly name: string; readonly stats: PeerStats | undefined }): ReactElement {
  if (!stats) return <li className="stats-peer">{name}: no statistics yet</li>;
  const loss = worst(stats, (track) => track.lossPercent);
  return (
    <li className="stats-peer">
      <h3 className="stats-name">{name}</h3>
      <dl className="stats-values">
        <dt>State</dt>
        <dd>{stats.connectionState}</dd>
        <dt>Path</dt>
        <dd>{path(stats)}</dd>
        <dt>Round trip</dt>
        <dd>{round(stats.roundTripTimeMs, 'ms')}</dd>
        <dt>Receiving</dt>
        <dd>{round(stats.inboundKbps, 'kbit/s')}</dd>
        <dt>Sending</dt>
        <dd>
          {round(stats.outboundKbps, 'kbit/s')}
          {stats.videoBitrateCapKbps === null ? '' : ` (video cap ${stats.videoBitrateCapKbps} kbit/s)`}
        </dd>
        <dt>Loss</dt>
        <dd>{loss === null ? '–' : `${loss.toFixed(1)} %`}</dd>
        <dt>Jitter</dt>
        <dd>
          {round(
            worst(stats, (track) => track.jitterMs),
            'ms',
          )}
        </dd>
      </dl>
    </li>
  );
}

/** A "Connection statistics" disclosure listing each peer's path, round trip, rates and loss. */
export function StatsPanel({ peers, stats }: StatsPanelProps): ReactElement {
  const [open, setOpen] = useState(false);
  const listId = useId();
  return (
    <section className="stats-panel" aria-label="Connection statistics">
      <button type="button" className="stats-toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        Connection statistics
      </button>
      {open ? (
        <ul id={listId} className="stats-list">
          {peers.length === 0 ? <li className="stats-peer">Nobody else is here yet.</li> : null}
          {peers.map((peer) => (
            <PeerRow key={peer.id} name={peer.name} stats={stats.get(peer.id)} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
