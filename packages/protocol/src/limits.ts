/**
 * Hard bounds that every frame must respect. The server enforces them when it parses a
 * frame; the client uses the same numbers so it never builds a frame the server rejects.
 */
export const LIMITS = {
  /** Longest room id, in characters. Room ids use the URL-safe alphabet `[A-Za-z0-9_-]`. */
  roomIdLength: 64,
  /** Longest display name after trimming, in characters. */
  nameLength: 64,
  /** Longest SDP body, in characters (a 4-peer video offer is ~6 KB; this leaves headroom). */
  sdpLength: 32_768,
  /** Longest single ICE candidate line, in characters. */
  candidateLength: 1_024,
  /** Most ICE candidates carried by one signal frame. */
  candidatesPerSignal: 32,
  /** Longest `sdpMid` / `usernameFragment`, in characters. */
  tokenLength: 256,
  /** Longest resume token, in characters (the server's are ~200). */
  resumeTokenLength: 1_024,
  /** Longest peer id, in characters (server-minted ids are 16). */
  peerIdLength: 64,
  /** Longest room password in a `join`, in characters. */
  passwordLength: 256,
  /** Longest join token (a signed JWT) in a `join`, in characters. */
  joinTokenLength: 4_096,
} as const;
