/**
 * A fake `RTCPeerConnection` with just enough of the negotiation state machine for
 * `PeerSession` and the mesh (offers, answers, ICE gathering, connection states, ICE
 * restarts), and a fake `MediaStream`, for unit tests under Node. Nothing is connected: a
 * test plays the browser's part with {@link FakePeerConnection.find},
 * {@link FakePeerConnection.completeGathering} and {@link FakePeerConnection.become}.
 */

type CandidateHandler = ((event: { candidate: Partial<RTCIceCandidate> | null }) => void) | null;

/** A transceiver as the fake hands it out: only what `PeerSession` reads and writes. */
export interface FakeTransceiver {
  direction: RTCRtpTransceiverDirection;
  mid: string | null;
  receiver: { track: { kind: string } };
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
  #candidates = '';

  constructor(configuration: RTCConfiguration = {}) {
    super();
    this.configuration = configuration;
    FakePeerConnection.instances.push(this);
  }

  addTransceiver(kind: string, init: RTCRtpTransceiverInit): FakeTransceiver {
    const transceiver: FakeTransceiver = {
      direction: init.direction ?? 'sendrecv',
      mid: null,
      receiver: { track: { kind } },
      sender: {
        track: null,
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
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
    this.iceGatheringState = 'gathering';
    this.localDescription = { type, sdp: `v=0\r\nm=${type}\r\n${this.#candidates}` };
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  async addIceCandidate(): Promise<void> {}

  createDataChannel(label: string): unknown {
    return { label, readyState: 'connecting', close() {} };
  }

  async getStats(): Promise<ReadonlyMap<string, Record<string, unknown>>> {
    return new Map();
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
