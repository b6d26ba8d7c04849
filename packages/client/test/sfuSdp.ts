/** SDP and frames of a fake SFU, for unit tests of the SFU topology. */
import type { SfuOfferFrame } from '@ponte/protocol';

/** One stream an offer of the fake SFU carries. */
export interface FakeSfuStream {
  mid: string;
  peer: string;
  kind: 'audio' | 'video';
}

/** An `sfu-offer` whose SDP has one media section per stream (and the `streams` that name them). */
export function sfuOffer(streams: FakeSfuStream[]): SfuOfferFrame {
  const sections = streams.map(({ mid, kind }) => `m=${kind} 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:${mid}\r\na=sendonly\r\n`).join('');
  return { type: 'sfu-offer', description: { type: 'offer', sdp: `v=0\r\n${sections}` }, streams };
}

/** The streams of peers sending audio on mid `2n` and video on mid `2n+1`, in order. */
export function avStreams(...peers: string[]): FakeSfuStream[] {
  return peers.flatMap((peer, index) => [
    { mid: String(index * 2), peer, kind: 'audio' as const },
    { mid: String(index * 2 + 1), peer, kind: 'video' as const },
  ]);
}
