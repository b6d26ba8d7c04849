/**
 * A fixed, lossless substitution table that shrinks browser SDP before it is compressed.
 * `CompressionStream` takes no preset dictionary, so the first occurrence of every long
 * SDP keyword would cost its full length; replacing the common ones with two-byte tokens
 * (`\x01` plus one printable character) cuts a typical Chromium audio+video+data offer
 * from about 1,650 to about 1,070 compressed bytes. Nothing is dropped: decoding restores
 * the exact text.
 *
 * The table is part of the code format: changing it (even reordering) needs a new
 * {@link MANUAL_CODE_VERSION} in manualCode.ts.
 */

/** Marks a token; SDP is text and never contains this control character. */
const MARK = '\x01';
/** The character of the first token (`!`); tokens use `!` to `~`, so at most 94. */
const FIRST = 0x21;

/** Where one token starts with another, the longer comes first so it wins. */
const TOKENS: readonly string[] = [
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/',
  'urn:ietf:params:rtp-hdrext:',
  'level-asymmetry-allowed=1;packetization-mode=',
  ';profile-level-id=',
  'a=rtcp-fb:',
  ' goog-remb',
  ' transport-cc',
  ' ccm fir',
  ' nack pli',
  ' nack',
  'a=rtpmap:',
  '/90000',
  'a=fmtp:',
  ' apt=',
  'rtx',
  'H264',
  'a=candidate:',
  ' typ host',
  ' generation 0 network-id ',
  ' tcptype active',
  'udp ',
  'tcp ',
  'a=ssrc:',
  ' cname:',
  ' msid:',
  'a=msid:',
  'a=extmap:',
  'a=ice-ufrag:',
  'a=ice-pwd:',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 ',
  'a=setup:',
  'a=mid:',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtcp-xr:rcvr-rtt=all',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'c=IN IP4 ',
  'UDP/TLS/RTP/SAVPF',
  'UDP/DTLS/SCTP webrtc-datachannel',
  'a=sendrecv',
  'a=recvonly',
  'a=sendonly',
  'opus/48000/2',
  'minptime=10;useinbandfec=1',
  'telephone-event/',
  'a=ssrc-group:FID ',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'a=group:BUNDLE',
  'v=0\r\no=- ',
  ' IN IP4 127.0.0.1\r\ns=-\r\nt=0 0',
  'sdes:',
  'rtp-stream-id',
  'profile-id=',
  'video-',
  'ssrc-audio-level',
  'abs-send-time',
  'toffset',
  'playout-delay',
  'color-space',
  'urn:3gpp:video-orientation',
  'red/',
  'ulpfec/90000',
  'VP8/90000',
  'VP9/90000',
  'AV1/90000',
  'level-idx=5;profile=0;tier=0',
  'G722/8000',
  'PCMU/8000',
  'PCMA/8000',
  'CN/8000',
  'a=end-of-candidates',
  'mozilla...THIS_IS_SDPARTA-',
  ' typ srflx raddr ',
  ' typ relay raddr ',
  ' rport ',
];

/** Whether {@link tokenizeSdp} can encode `sdp` losslessly (it holds no token mark). */
export function canTokenizeSdp(sdp: string): boolean {
  return !sdp.includes(MARK);
}

const TOKEN_INDEX = new Map(TOKENS.map((token, index) => [token, index]));

/** Every token, tried in table order at each position of one left-to-right scan. */
const TOKEN_PATTERN = new RegExp(TOKENS.map((token) => token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');

/**
 * Replaces the table's strings in `sdp` with tokens, in one scan so a token's character
 * never combines with the text after it into another token. Check {@link canTokenizeSdp}
 * first.
 */
export function tokenizeSdp(sdp: string): string {
  return sdp.replace(TOKEN_PATTERN, (token) => MARK + String.fromCharCode(FIRST + (TOKEN_INDEX.get(token) ?? 0)));
}

/** Restores the text {@link tokenizeSdp} shrank; null when it holds an unknown token. */
export function detokenizeSdp(text: string): string | null {
  let unknown = false;
  // eslint-disable-next-line no-control-regex -- \x01 is the token marker tokenizeSdp writes
  const sdp = text.replace(/\x01([\s\S]?)/g, (_match, char: string) => {
    const token = char ? TOKENS[char.charCodeAt(0) - FIRST] : undefined;
    if (token === undefined) unknown = true;
    return token ?? '';
  });
  return unknown ? null : sdp;
}
