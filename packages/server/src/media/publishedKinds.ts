/**
 * The kinds of media an SDP offer sends: each `m=audio` or `m=video` section that is not
 * `recvonly` or `inactive` (a port of 0 rejects a section too). The broker checks them against
 * a join token's permissions before a publisher offer reaches the SFU.
 */
export function publishedKinds(sdp: string): Set<'audio' | 'video'> {
  const kinds = new Set<'audio' | 'video'>();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const match = /^(audio|video) (\d+)/.exec(section);
    if (match === null || match[2] === '0') continue;
    if (/\r?\na=(recvonly|inactive)\s*(\r?\n|$)/.test(section)) continue;
    kinds.add(match[1] as 'audio' | 'video');
  }
  return kinds;
}
