/**
 * A fake {@link Platform} for unit tests under Node: a scripted WebSocket, the fake
 * `RTCPeerConnection` and `MediaStream` of `fakePeerConnection.ts`, and fake media devices
 * whose captures a test may hold back and release.
 */
import type { ClientFrame, ServerFrame } from '@ponte/protocol';
import type { MediaDevicesLike, Platform } from '../src/platform/Platform.js';
import { FakeMediaStream, FakePeerConnection } from './fakePeerConnection.js';

/** A WebSocket that never touches the network: the test opens it, feeds it frames, drops it. */
export class FakeWebSocket {
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  /** Every frame the client sent, parsed. */
  readonly sent: ClientFrame[] = [];
  /** The code `close()` was called with, if it was. */
  closedWith: number | null = null;
  readonly #waiters: { type: ClientFrame['type']; resolve: (frame: ClientFrame) => void }[] = [];

  constructor(readonly url: string) {}

  send(data: string): void {
    const frame = JSON.parse(data) as ClientFrame;
    this.sent.push(frame);
    for (const waiter of this.#waiters.filter((entry) => entry.type === frame.type)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(frame);
    }
  }

  /** Resolves with the first frame of `type` the client sends (at once if it already has). */
  nextSent<T extends ClientFrame['type']>(type: T): Promise<Extract<ClientFrame, { type: T }>> {
    const sent = this.sent.find((frame) => frame.type === type);
    if (sent) return Promise.resolve(sent as Extract<ClientFrame, { type: T }>);
    return new Promise((resolve) => this.#waiters.push({ type, resolve: resolve as (frame: ClientFrame) => void }));
  }

  /** Closes like a browser: the `close` event follows on a later task. */
  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.closedWith = code;
    this.readyState = 2;
    setTimeout(() => this.drop(code, reason), 0);
  }

  /** The server accepted the connection. */
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }

  /** A frame from the server. */
  receive(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The connection is gone (closed by either side, or lost). */
  drop(code = 1006, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** A fake camera or microphone track. */
export class FakeTrack {
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  contentHint = '';
  readonly id: string;
  static #next = 0;

  constructor(readonly kind: 'audio' | 'video') {
    FakeTrack.#next += 1;
    this.id = `${kind}-${FakeTrack.#next}`;
  }

  stop(): void {
    this.readyState = 'ended';
  }

  addEventListener(): void {}
}

/** Fake devices: each capture succeeds with fresh tracks, at once or when the test releases it. */
export class FakeMediaDevices implements MediaDevicesLike {
  /** Every track handed out. */
  readonly tracks: FakeTrack[] = [];
  /** When true, captures wait for {@link release}. */
  holdCaptures = false;
  readonly #held: (() => void)[] = [];

  async getUserMedia(constraints: MediaStreamConstraints = {}): Promise<MediaStream> {
    if (this.holdCaptures) await new Promise<void>((resolve) => this.#held.push(resolve));
    const tracks: FakeTrack[] = [];
    if (constraints.audio) tracks.push(new FakeTrack('audio'));
    if (constraints.video) tracks.push(new FakeTrack('video'));
    this.tracks.push(...tracks);
    return new FakeMediaStream(tracks as unknown as MediaStreamTrack[]) as unknown as MediaStream;
  }

  async getDisplayMedia(): Promise<MediaStream> {
    return this.getUserMedia({ video: true });
  }

  /** Lets every held capture complete. */
  release(): void {
    for (const resolve of this.#held.splice(0)) resolve();
  }

  /** The tracks handed out that are still running. */
  get live(): FakeTrack[] {
    return this.tracks.filter((track) => track.readyState === 'live');
  }
}

/** A fake platform, with what it made kept for the test to drive. */
export interface FakePlatform {
  readonly platform: Platform;
  /** Every socket opened, in order. */
  readonly sockets: FakeWebSocket[];
  /** Every peer connection made, in order. */
  readonly connections: FakePeerConnection[];
  readonly devices: FakeMediaDevices;
  /** Called once each when the next socket is opened. */
  readonly onSocket: (() => void)[];
}

/** Resolves with the `index`th socket the platform opens (at once if it already has). */
export function nthSocket(fake: FakePlatform, index = 0): Promise<FakeWebSocket> {
  return new Promise((resolve) => {
    const check = (): void => {
      const socket = fake.sockets[index];
      if (socket) resolve(socket);
      else fake.onSocket.push(check);
    };
    check();
  });
}

/** Builds a fake platform (with devices unless `devices: false`). */
export function fakePlatform(options: { devices?: boolean } = {}): FakePlatform {
  const sockets: FakeWebSocket[] = [];
  const onSocket: (() => void)[] = [];
  const connections: FakePeerConnection[] = [];
  const devices = new FakeMediaDevices();
  class Socket extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      for (const notify of onSocket.splice(0)) notify();
    }
  }
  class PeerConnection extends FakePeerConnection {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      connections.push(this);
    }
  }
  const platform: Platform = {
    RTCPeerConnection: PeerConnection as unknown as Platform['RTCPeerConnection'],
    MediaStream: FakeMediaStream as unknown as Platform['MediaStream'],
    WebSocket: Socket as unknown as Platform['WebSocket'],
    ...(options.devices === false ? {} : { mediaDevices: devices }),
  };
  return { platform, sockets, connections, devices, onSocket };
}
