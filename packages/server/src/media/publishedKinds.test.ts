import { describe, expect, it } from 'vitest';
import { publishedKinds } from './publishedKinds.js';

const sdp = (...sections: string[]) => ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', ...sections].join('\r\n') + '\r\n';

describe('publishedKinds', () => {
  it('finds the audio and video an offer sends', () => {
    expect(publishedKinds(sdp('m=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=sendonly', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=sendrecv'))).toEqual(
      new Set(['audio', 'video']),
    );
  });

  it('leaves out sections that send nothing: recvonly, inactive, port 0, data', () => {
    const offer = sdp(
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=recvonly',
      'm=video 0 UDP/TLS/RTP/SAVPF 96',
      'a=sendonly',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=inactive',
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    );
    expect(publishedKinds(offer)).toEqual(new Set());
  });

  it('reads an offer with LF line ends, and none with no media', () => {
    expect(publishedKinds('v=0\nm=video 9 RTP/AVP 96\na=sendonly\n')).toEqual(new Set(['video']));
    expect(publishedKinds(sdp())).toEqual(new Set());
  });
});
