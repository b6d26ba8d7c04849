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
  /** Most features a `join`/`resume` or a `joined`/`resumed` may list. */
  featureCount: 32,
  /** Longest feature name, in characters. */
  featureNameLength: 32,
  /**
   * Longest SDP of an SFU connection, in characters: a subscriber connection carries two media
   * lines per other participant (~1 KB each in the SFU's offer), so 50 people need ~100 KB.
   */
  sfuSdpLength: 131_072,
  /** Most streams one `sfu-configure` or `sfu-offer` names (two per participant of a 50-person room, with room to spare). */
  sfuStreams: 256,
  /** Most peers one `sfu-speaking` names. */
  speakingPeers: 8,
  /** Longest `data` of a `message` (relayed by the server in SFU rooms), in characters of JSON. */
  messageDataLength: 16_384,
  /** Most peers one `message` is addressed to (none: the whole room). */
  messageTargets: 64,
} as const;

/**
 * Bounds of the peer-to-peer data frames (`dataFrames.ts`): the receiving peer enforces them,
 * the sending SDK stays within them.
 */

/** Smallest and largest chunk a file sender may announce, in bytes. */
export const CHUNK_SIZE_BOUNDS = { min: 1024, max: 256 * 1024 } as const;

/** Longest file name in a file offer, in characters. */
export const FILE_NAME_LENGTH = 255;

/** Longest media type in a file offer, in characters. */
export const FILE_TYPE_LENGTH = 255;

/**
 * Why a side stopped a file transfer: `cancelled` by its user, `left` the room, `integrity`
 * (the digest did not match), `bad-data` (the other side broke the data protocol).
 */
export const CANCEL_REASONS = ['cancelled', 'left', 'integrity', 'bad-data'] as const;
