import type { StatsReportLike } from './peerStats.js';

/**
 * How far each track we receive has got, by track id: frames decoded for video, packets
 * received for audio, from the `inbound-rtp` entries of a connection's statistics (their
 * `trackIdentifier` is the receiving track's id). A count above zero means the track shows
 * media; a track without an entry has shown none.
 */
export function mediaProgress(report: StatsReportLike): Map<string, number> {
  const progress = new Map<string, number>();
  for (const entry of report.values()) {
    if (entry.type !== 'inbound-rtp' || typeof entry.trackIdentifier !== 'string') continue;
    const count = entry.kind === 'video' ? entry.framesDecoded : entry.packetsReceived;
    if (typeof count === 'number') progress.set(entry.trackIdentifier, count);
  }
  return progress;
}

/** The {@link mediaProgress} of several connections together. */
export async function mediaProgressOf(connections: Iterable<RTCPeerConnection>): Promise<Map<string, number>> {
  const reports = await Promise.all([...connections].map((pc) => pc.getStats() as unknown as Promise<StatsReportLike>));
  const progress = new Map<string, number>();
  for (const report of reports) for (const [id, count] of mediaProgress(report)) progress.set(id, count);
  return progress;
}
