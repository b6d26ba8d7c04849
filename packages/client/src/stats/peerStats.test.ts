import { describe, expect, it } from 'vitest';
import { rateQuality, summarizeStats, type StatsReportLike } from './peerStats.js';

function report(entries: Record<string, unknown>[]): StatsReportLike {
  return new Map(entries.map((entry) => [entry.id as string, entry]));
}

const base = [
  { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
  { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', currentRoundTripTime: 0.042 },
  { id: 'L', type: 'local-candidate', candidateType: 'relay', protocol: 'udp', address: '127.0.0.1', port: 50000 },
  { id: 'R', type: 'remote-candidate', candidateType: 'host', protocol: 'udp', address: '192.0.2.2', port: 40000 },
];

describe('summarizeStats', () => {
  it('reports the selected pair, round trip and rates between two samples', () => {
    const first = summarizeStats(
      'p',
      'connected',
      report([
        ...base,
        {
          id: 'IV',
          type: 'inbound-rtp',
          kind: 'video',
          timestamp: 1000,
          bytesReceived: 0,
          packetsReceived: 0,
          packetsLost: 0,
          jitter: 0.01,
          frameWidth: 640,
          frameHeight: 480,
        },
        { id: 'OV', type: 'outbound-rtp', kind: 'video', timestamp: 1000, bytesSent: 0, packetsSent: 0 },
      ]),
      undefined,
      1000,
    );
    expect(first.stats.local).toEqual({ type: 'relay', protocol: 'udp', address: '127.0.0.1', port: 50000 });
    expect(first.stats.remote?.type).toBe('host');
    expect(first.stats.roundTripTimeMs).toBeCloseTo(42);
    expect(first.stats.inboundKbps).toBeNull();

    const second = summarizeStats(
      'p',
      'connected',
      report([
        ...base,
        {
          id: 'IV',
          type: 'inbound-rtp',
          kind: 'video',
          timestamp: 3000,
          bytesReceived: 250_000,
          packetsReceived: 190,
          packetsLost: 10,
          jitter: 0.01,
        },
        { id: 'OV', type: 'outbound-rtp', kind: 'video', timestamp: 3000, bytesSent: 125_000, packetsSent: 100 },
        { id: 'RIV', type: 'remote-inbound-rtp', kind: 'video', localId: 'OV', fractionLost: 0.25 },
      ]),
      first.sample,
      1000,
    );
    expect(second.stats.inboundKbps).toBeCloseTo(1000); // 250 kB in 2 s
    expect(second.stats.outboundKbps).toBeCloseTo(500);
    const inbound = second.stats.tracks.find((track) => track.direction === 'inbound');
    expect(inbound?.lossPercent).toBeCloseTo(5); // 10 lost of 200
    expect(inbound?.jitterMs).toBeCloseTo(10);
    expect(second.stats.tracks.find((track) => track.direction === 'outbound')?.lossPercent).toBeCloseTo(25);
    expect(second.stats.videoBitrateCapKbps).toBe(1000);
    expect(second.stats.quality).toBe('poor');
  });

  it('rates quality by round trip and loss', () => {
    expect(rateQuality('connected', 40, 0)).toBe('good');
    expect(rateQuality('connected', 200, 1)).toBe('fair');
    expect(rateQuality('connected', 40, 10)).toBe('poor');
    expect(rateQuality('connecting', 40, 0)).toBe('unknown');
    expect(rateQuality('connected', null, null)).toBe('unknown');
  });
});
