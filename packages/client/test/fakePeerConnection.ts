/**
 * A fake `RTCPeerConnection` with just enough of the negotiation state machine for
 * `PeerSession` and the mesh (offers, answers, ICE gathering, connection states, ICE
 * restarts), and a fake `MediaStream`, for unit tests under Node. Nothing is connected: a
 * test plays the browser's part with {@link FakePeerConnection.find},
 * {@link FakePeerConnection.completeGathering} and {@link FakePeerConnection.become}.
 */

type CandidateHandler = ((event: { candidate: Partial<RTCIceCandidate> | null }) => void) | null;

/** A track the fake receives on a media line the remote offer made. */
export interface FakeRemoteTrack {
  readonly id: string;
  readonly kind: string;
  readonly readyState: MediaStreamTrackState;
}

let remoteTracks = 0;

/** A transceiver as the fake hands it out: only what `PeerSession` and the SFU legs read and write. */
export interface FakeTransceiver {
  direction: RTCRtpTransceiverDirection;
  mid: string | null;
  /** The encodings it was made with (simulcast), if any. */
  sendEncodings?: RTCRtpEncodingParameters[] | undefined;
  receiver: { track: FakeRemoteTrack | { kind: string } };
  sender: {
    track: MediaStreamTrack | null;
    setStreams(): void;
    replaceTrack(track: MediaStreamTrack | null): Promise<void>;
    getParameters(): RTCRtpSendParameters;
  };
}

/** A fake connection; every instance made is kept in {@link FakePeerConnection.instances}. */
export class FakePeerConnection extends EventTarget {
  static instances: FakePeerConnection[] = [];
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: CandidateHandler = null;
  ontrack: unknown = null;
  onconnectionstatechange: (() => void) | null = null;
  onicecandidateerror: unknown = null;
  iceGatheringState: RTCIceGatheringState = 'new';
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly transceivers: FakeTransceiver[] = [];
  /** The configuration it was made with, then changed by `setConfiguration`. */
  configuration: RTCConfiguration;
  /** How many times `restartIce()` was called. */
  restarts = 0;
  closed = false;
  /** What `getStats()` resolves, for a test to fill. */
  stats = new Map<string, Record<string, unknown>>();
  #candidates = '';

  constructor(configuration: RTCConfiguration = {}) {
    super();
    this.configuration = configuration;
    FakePeerConnection.instances.push(this);
  }

  addTransceiver(trackOrKind: string | MediaStreamTrack, init: RTCRtpTransceiverInit): FakeTransceiver {
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const transceiver: FakeTransceiver = {
      direction: init.direction ?? 'sendrecv',
      mid: null,
      sendEncodings: init.sendEncodings,
      receiver: { track: { kind } },
      sender: {
        track: typeof trackOrKind === 'string' ? null : trackOrKind,
        setStreams() {},
        replaceTrack: async () => {},
        getParameters: () => ({ encodings: [] }) as unknown as RTCRtpSendParameters,
      },
    };
    this.transceivers.push(transceiver);
    if (this.transceivers.length === 1) queueMicrotask(() => this.onnegotiationneeded?.());
    return transceiver;
  }

  getTransceivers(): FakeTransceiver[] {
    return this.transceivers;
  }

  getConfiguration(): RTCConfiguration {
    return this.configuration;
  }

  setConfiguration(configuration: RTCConfiguration): void {
    this.configuration = configuration;
  }

  async setLocalDescription(): Promise<void> {
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    this.transceivers.forEach((transceiver, index) => (transceiver.mid ??= String(index)));
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
    this.iceGatheringState = 'gathering';
    this.localDescription = { type, sdp: `v=0\r\nm=${type}\r\n${this.#candidates}` };
  }

  /**
   * Takes a remote description; each `m=audio`/`m=video` section of an offer with an
   * `a=mid:` line not seen yet makes a receiving transceiver with a track of its own.
   */
  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = description;
    if (description.type === 'offer') {
      for (const section of (description.sdp ?? '').split(/\r?\nm=/).slice(1)) {
        const kind = /^(audio|video)/.exec(section)?.[1];
        const mid = /a=mid:(\S+)/.exec(section)?.[1];
        if (!kind || !mid || this.transceivers.some((transceiver) => transceiver.mid === mid)) continue;
        remoteTracks += 1;
        const track: FakeRemoteTrack = { id: `remote-${kind}-${remoteTracks}`, kind, readyState: 'live' };
        const transceiver = this.addTransceiver(kind, { direction: 'recvonly' });
        transceiver.mid = mid;
        transceiver.receiver.track = track;
      }
    }
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  async addIceCandidate(): Promise<void> {}

  createDataChannel(label: string): unknown {
    return { label, readyState: 'connecting', close() {} };
  }

  /** The statistics; the tracks {@link showMedia} named decode one more frame at each call. */
  async getStats(): Promise<ReadonlyMap<string, Record<string, unknown>>> {
    for (const entry of this.stats.values()) {
      if (entry.type !== 'inbound-rtp' || !entry.decoding) continue;
      entry.framesDecoded = (entry.framesDecoded as number) + 1;
      entry.packetsReceived = (entry.packetsReceived as number) + 1;
    }
    return this.stats;
  }

  /** The track received on media line `mid`. */
  remoteTrack(mid: string): FakeRemoteTrack {
    const track = this.transceivers.find((transceiver) => transceiver.mid === mid)?.receiver.track;
    if (!track || !('id' in track)) throw new Error(`no remote track on mid ${mid}`);
    return track;
  }

  /**
   * Statistics in which each track of `counts` shows that many frames (video) or packets
   * (audio), and one more at each `getStats()`: its media flows.
   */
  showMedia(counts: Record<string, number>): void {
    for (const [trackId, count] of Object.entries(counts)) {
      const track = this.transceivers.map((t) => t.receiver.track).find((t): t is FakeRemoteTrack => 'id' in t && t.id === trackId);
      const kind = track?.kind ?? 'video';
      this.stats.set(`in-${trackId}`, {
        type: 'inbound-rtp',
        kind,
        trackIdentifier: trackId,
        framesDecoded: count,
        packetsReceived: count,
        decoding: true,
      });
    }
  }

  restartIce(): void {
    this.restarts += 1;
  }

  close(): void {
    this.closed = true;
  }

  /** The ICE agent found a candidate: it joins the local description and is announced. */
  find(candidate: string): void {
    this.#candidates += `a=${candidate}\r\n`;
    if (this.localDescription) this.localDescription = { ...this.localDescription, sdp: `${this.localDescription.sdp}a=${candidate}\r\n` };
    this.onicecandidate?.({ candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' } });
  }

  /** ICE gathering is over: `icegatheringstatechange`, then the null candidate. */
  completeGathering(): void {
    this.iceGatheringState = 'complete';
    this.dispatchEvent(new Event('icegatheringstatechange'));
    this.onicecandidate?.({ candidate: null });
  }

  /** The connection moves to `state`, as the browser reports it. */
  become(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
}

/** A fake `MediaStream` that holds tracks. */
export class FakeMediaStream {
  readonly #tracks: MediaStreamTrack[] = [];

  constructor(tracks: MediaStreamTrack[] = []) {
    this.#tracks.push(...tracks);
  }

  getTracks(): MediaStreamTrack[] {
    return [...this.#tracks];
  }

  getAudioTracks(): MediaStreamTrack[] {
    return this.#tracks.filter((track) => track.kind === 'audio');
  }

  getVideoTracks(): MediaStreamTrack[] {
    return this.#tracks.filter((track) => track.kind === 'video');
  }

  getTrackById(id: string): MediaStreamTrack | null {
    return this.#tracks.find((track) => track.id === id) ?? null;
  }

  addTrack(track: MediaStreamTrack): void {
    if (!this.#tracks.includes(track)) this.#tracks.push(track);
  }

  removeTrack(track: MediaStreamTrack): void {
    const index = this.#tracks.indexOf(track);
    if (index >= 0) this.#tracks.splice(index, 1);
  }
}

/** The fake connection as the constructor the SDK expects. */
export const FakePeerConnectionConstructor = FakePeerConnection as unknown as typeof RTCPeerConnection;

/** What a `PeerSession` or `ManualCall` needs of a platform, made of the fakes. */
export const fakeMediaPlatform = {
  RTCPeerConnection: FakePeerConnectionConstructor,
  MediaStream: FakeMediaStream as unknown as typeof MediaStream,
};

/** An empty fake stream, typed as the real one. */
export function fakeStream(): MediaStream {
  return new FakeMediaStream() as unknown as MediaStream;
}
