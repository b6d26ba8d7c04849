/**
 * The Platform seam: what the SDK needs from its host, passed in, so that the same code runs
 * in a browser (see {@link browserPlatform}) and in Node (which brings its own WebRTC and
 * WebSocket implementations, and has no camera).
 * @packageDocumentation
 */

/** A host's `RTCPeerConnection` constructor. */
export type PeerConnectionConstructor = new (configuration?: RTCConfiguration) => RTCPeerConnection;

/** A host's `MediaStream` constructor. */
export type MediaStreamConstructor = new (tracks?: MediaStreamTrack[]) => MediaStream;

/** A host's WebSocket constructor. */
export type WebSocketConstructor = new (url: string) => WebSocket;

/** The part of `navigator.mediaDevices` the SDK uses: capturing the camera, microphone and screen. */
export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia' | 'getDisplayMedia'>;

/**
 * What the SDK needs from its host. Members are read when they are used, never before, so a
 * platform may resolve them lazily (the browser's reads its globals then) and a member that
 * is never used may be missing.
 *
 * Timers are not part of it: `setTimeout` and `clearTimeout` are the same in every host the
 * SDK runs in, and tests replace them with fake timers.
 */
export interface Platform {
  /** Makes the connection to each peer. */
  readonly RTCPeerConnection: PeerConnectionConstructor;
  /** Makes the streams that hold our local tracks and each peer's remote tracks. */
  readonly MediaStream: MediaStreamConstructor;
  /** Opens the connection to the signaling server. */
  readonly WebSocket: WebSocketConstructor;
  /**
   * The camera, microphone and screen, where there are any (a Node peer has none: it joins
   * receive-only, or sends tracks it makes itself).
   */
  readonly mediaDevices?: MediaDevicesLike | undefined;
}

/**
 * `base` with some members replaced, e.g. by `RoomOptions.WebSocket` and
 * `RoomOptions.mediaDevices`. Lazy like `base`: a member of `base` is read only when it is
 * used and not overridden.
 */
export function overridePlatform(base: Platform, overrides: Partial<Platform>): Platform {
  return {
    get RTCPeerConnection() {
      return overrides.RTCPeerConnection ?? base.RTCPeerConnection;
    },
    get MediaStream() {
      return overrides.MediaStream ?? base.MediaStream;
    },
    get WebSocket() {
      return overrides.WebSocket ?? base.WebSocket;
    },
    get mediaDevices() {
      return overrides.mediaDevices ?? base.mediaDevices;
    },
  };
}
