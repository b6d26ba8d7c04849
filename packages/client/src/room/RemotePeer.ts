import type { MediaState, PeerInfo } from '@ponte/protocol';

/**
 * A participant other than us, as the room sees them: who they are, what they send, and
 * their media. Updated in place, so the same object stands for the peer while they are in
 * the room. How their media reaches us is the topology's business, not theirs.
 */
export interface RemotePeer {
  /** Their server-minted peer id. */
  readonly id: string;
  /** Their display name. */
  readonly name: string;
  /** What they send: microphone, camera, screen. */
  readonly state: MediaState;
  /** Their audio and video, ready for a `<video>` element. Grows as tracks arrive. */
  readonly stream: MediaStream;
  /** The state of our media connection to them. */
  readonly connectionState: RTCPeerConnectionState;
}

/**
 * The writable record behind a {@link RemotePeer}, kept up to date by the media topology
 * that connects us to the peer. Apps only ever see it as a `RemotePeer`.
 */
export type RemotePeerRecord = { -readonly [K in keyof RemotePeer]: RemotePeer[K] };

/** A new record for the peer `info` describes, whose media arrives on `stream`. */
export function createRemotePeer(info: PeerInfo, stream: MediaStream, connectionState: RTCPeerConnectionState): RemotePeerRecord {
  return { ...info, stream, connectionState };
}
