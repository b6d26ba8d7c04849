/** Connection statistics of one peer, summarised from `RTCPeerConnection.getStats()`. */

/** One end of the selected candidate pair. */
export interface CandidateSummary {
  /** `host` (direct), `srflx`/`prflx` (through a NAT), or `relay` (through TURN). */
  type: string;
  protocol: string;
  address: string | null;
  port: number | null;
}

/** One media stream in one direction. */
export interface TrackStats {
  kind: 'audio' | 'video';
  direction: 'inbound' | 'outbound';
  /** Over the time since the previous sample; null on the first. */
  bitrateKbps: number | null;
  /** Percentage of packets lost since the previous sample (outbound: as the peer reports). */
  lossPercent: number | null;
  jitterMs: number | null;
  frameWidth: number | null;
  frameHeight: number | null;
  framesPerSecond: number | null;
}

/** A rough rating of a connection for an indicator: from round-trip time and loss. */
export type ConnectionQuality = 'good' | 'fair' | 'poor' | 'unknown';

/** What `Room.getStats()` tells about one peer. */
export interface PeerStats {
  peerId: string;
  connectionState: RTCPeerConnectionState;
  local: CandidateSummary | null;
  remote: CandidateSummary | null;
  roundTripTimeMs: number | null;
  inboundKbps: number | null;
  outboundKbps: number | null;
  tracks: TrackStats[];
  /** The cap on the video we send this peer, from the uplink budget. */
  videoBitrateCapKbps: number | null;
  quality: ConnectionQuality;
}

/** A stats report as plain records (an `RTCStatsReport` is one). */
export type StatsReportLike = ReadonlyMap<string, Record<string, unknown>>;

/** The byte and packet counters of the previous sample, to compute rates. */
export type StatsSample = Map<string, { timestamp: number; bytes: number; packets: number; lost: number }>;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function candidate(report: StatsReportLike, id: unknown): CandidateSummary | null {
  const entry = typeof id === 'string' ? report.get(id) : undefined;
  if (!entry) return null;
  return {
    type: str(entry.candidateType) ?? 'unknown',
    protocol: str(entry.protocol) ?? 'udp',
    address: str(entry.address) ?? str(entry.ip),
    port: num(entry.port),
  };
}

function selectedPair(report: StatsReportLike): Record<string, unknown> | undefined {
  for (const entry of report.values()) {
    if (entry.type === 'transport' && typeof entry.selectedCandidatePairId === 'string') {
      return report.get(entry.selectedCandidatePairId);
    }
  }
  for (const entry of report.values()) {
    if (entry.type === 'candidate-pair' && entry.nominated === true && entry.state === 'succeeded') return entry;
  }
  return undefined;
}

/** Rates a connection: good under 150 ms and 2 % loss, fair under 400 ms and 8 %, else poor. */
export function rateQuality(state: RTCPeerConnectionState, rttMs: number | null, lossPercent: number | null): ConnectionQuality {
  if (state !== 'connected' || (rttMs === null && lossPercent === null)) return 'unknown';
  const rtt = rttMs ?? 0;
  const loss = lossPercent ?? 0;
  if (rtt < 150 && loss < 2) return 'good';
  if (rtt < 400 && loss < 8) return 'fair';
  return 'poor';
}

/**
 * Summarises one report. Rates need the `previous` sample of the same connection; the
 * returned `sample` is the one to pass next time.
 */
export function summarizeStats(
  peerId: string,
  connectionState: RTCPeerConnectionState,
  report: StatsReportLike,
  previous: StatsSample | undefined,
  videoBitrateCapKbps: number | null,
): { stats: PeerStats; sample: StatsSample } {
  const sample: StatsSample = new Map();
  const tracks: TrackStats[] = [];
  const remoteLoss = new Map<string, number>();
  for (const entry of report.values()) {
    if (entry.type === 'remote-inbound-rtp' && typeof entry.localId === 'string') {
      remoteLoss.set(entry.localId, (num(entry.fractionLost) ?? 0) * 100);
    }
  }
  const totals = { inbound: null as number | null, outbound: null as number | null };
  for (const [id, entry] of report) {
    const direction = entry.type === 'inbound-rtp' ? 'inbound' : entry.type === 'outbound-rtp' ? 'outbound' : null;
    if (!direction || (entry.kind !== 'audio' && entry.kind !== 'video')) continue;
    const bytes = num(direction === 'inbound' ? entry.bytesReceived : entry.bytesSent) ?? 0;
    const packets = num(direction === 'inbound' ? entry.packetsReceived : entry.packetsSent) ?? 0;
    const lost = num(entry.packetsLost) ?? 0;
    const timestamp = num(entry.timestamp) ?? 0;
    sample.set(id, { timestamp, bytes, packets, lost });
    const before = previous?.get(id);
    const elapsedMs = before ? timestamp - before.timestamp : 0;
    const bitrateKbps = before && elapsedMs > 0 ? Math.max(0, ((bytes - before.bytes) * 8) / elapsedMs) : null;
    let lossPercent: number | null = null;
    if (direction === 'outbound') lossPercent = remoteLoss.get(id) ?? null;
    else if (before) {
      const newLost = Math.max(0, lost - before.lost);
      const newPackets = Math.max(0, packets - before.packets) + newLost;
      lossPercent = newPackets > 0 ? (newLost / newPackets) * 100 : 0;
    }
    if (bitrateKbps !== null) totals[direction] = (totals[direction] ?? 0) + bitrateKbps;
    const jitter = num(entry.jitter);
    tracks.push({
      kind: entry.kind,
      direction,
      bitrateKbps,
      lossPercent,
      jitterMs: jitter === null ? null : jitter * 1000,
      frameWidth: num(entry.frameWidth),
      frameHeight: num(entry.frameHeight),
      framesPerSecond: num(entry.framesPerSecond),
    });
  }
  const pair = selectedPair(report);
  const rtt = num(pair?.currentRoundTripTime);
  const roundTripTimeMs = rtt === null ? null : rtt * 1000;
  const losses = tracks.map((track) => track.lossPercent).filter((loss): loss is number => loss !== null);
  const worstLoss = losses.length > 0 ? Math.max(...losses) : null;
  return {
    sample,
    stats: {
      peerId,
      connectionState,
      local: candidate(report, pair?.localCandidateId),
      remote: candidate(report, pair?.remoteCandidateId),
      roundTripTimeMs,
      inboundKbps: totals.inbound,
      outboundKbps: totals.outbound,
      tracks,
      videoBitrateCapKbps,
      quality: rateQuality(connectionState, roundTripTimeMs, worstLoss),
    },
  };
}
