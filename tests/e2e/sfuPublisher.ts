import { ServerFrameSchema, type ClientFrame, type ServerFrame } from '@ponte/protocol';
import { MediaStreamTrack } from 'werift';
import WebSocket from 'ws';
import { connected, gathered, peerConnection, startMedia } from '../../packages/janus/test/mediaPeers.js';

/** How long the server may take to send a frame a publisher waits for, in ms. */
const FRAME_WAIT_MS = 20_000;

/** A lightweight participant: a Node peer that publishes generated audio and video through the SFU, and receives nothing. */
export interface LightPublisher {
  /** Its peer id, minted by the server. */
  readonly id: string;
  readonly name: string;
  /** Leaves the room: stops sending, closes its connection to the SFU and its WebSocket. */
  close(): Promise<void>;
}

/** A WebSocket to a Ponte server that speaks its protocol, frame by frame. */
class Signaling {
  readonly #socket: WebSocket;
  readonly #frames: ServerFrame[] = [];
  readonly #waiters = new Set<() => void>();
  #failure: Error | undefined;

  constructor(url: string) {
    this.#socket = new WebSocket(url);
    this.#socket.on('message', (data: Buffer) => {
      this.#frames.push(ServerFrameSchema.parse(JSON.parse(data.toString())));
      this.#wake();
    });
    this.#socket.on('error', (error) => this.#fail(error));
    this.#socket.on('close', (code) => this.#fail(new Error(`the signaling socket closed (${code})`)));
  }

  async open(): Promise<void> {
    if (this.#socket.readyState === WebSocket.OPEN) return;
    await new Promise<void>((resolve, reject) => {
      this.#socket.once('open', () => resolve());
      this.#socket.once('error', reject);
    });
  }

  send(frame: ClientFrame): void {
    this.#socket.send(JSON.stringify(frame));
  }

  /** The first frame of `type` received (and not taken yet) that `match` accepts; an `error` frame rejects. */
  next<K extends ServerFrame['type']>(
    type: K,
    match: (frame: Extract<ServerFrame, { type: K }>) => boolean = () => true,
  ): Promise<Extract<ServerFrame, { type: K }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no awaited frame within ${FRAME_WAIT_MS} ms; received ${this.#frames.map((frame) => frame.type).join(', ')}`));
      }, FRAME_WAIT_MS);
      const check = (): void => {
        const error = this.#frames.find((frame) => frame.type === 'error');
        const found = this.#frames.findIndex((frame) => frame.type === type && match(frame as Extract<ServerFrame, { type: K }>));
        if (error === undefined && found < 0 && this.#failure === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error?.type === 'error') reject(new Error(`the server refused ${error.ref ?? 'a frame'}: ${error.code} ${error.message}`));
        else if (found >= 0) resolve(this.#frames.splice(found, 1)[0] as Extract<ServerFrame, { type: K }>);
        else reject(this.#failure ?? new Error('the signaling socket failed'));
      };
      this.#waiters.add(check);
      check();
    });
  }

  close(): void {
    this.#socket.removeAllListeners('close');
    this.#socket.close();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#wake();
  }

  #wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}

/**
 * Joins `room` on the Ponte server at `serverUrl` as `name` over Ponte's own protocol (minor
 * 3, features resume and sfu), waits until the room is carried by the SFU, publishes a werift
 * offer with audio and video (`sfu-publish`, `sfu-published`, end of candidates), and once
 * connected sends generated Opus and VP8 RTP (`startMedia` of the Janus tests).
 */
export async function joinLightPublisher(serverUrl: string, room: string, name: string): Promise<LightPublisher> {
  const signaling = new Signaling(`${serverUrl.replace(/^http/, 'ws')}/ws`);
  await signaling.open();
  signaling.send({
    type: 'join',
    version: 1,
    minor: 3,
    features: ['resume', 'sfu'],
    room,
    name,
    state: { audio: true, video: true, screen: false },
  });
  const joined = await signaling.next('joined');
  // Until the room has enough people it is a mesh: a publisher waits for the switch.
  if (joined.topology !== 'sfu') await signaling.next('topology', (frame) => frame.mode === 'sfu');
  const pc = peerConnection();
  const audio = new MediaStreamTrack({ kind: 'audio' });
  const video = new MediaStreamTrack({ kind: 'video' });
  const audioSender = pc.addTransceiver(audio, { direction: 'sendonly' });
  pc.addTransceiver(video, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const offer = pc.localDescription;
  if (!offer) throw new Error('no local description');
  signaling.send({ type: 'sfu-publish', description: { type: 'offer', sdp: offer.sdp } });
  const published = await signaling.next('sfu-published');
  await pc.setRemoteDescription(published.description);
  // The offer carried every candidate: tell the SFU there are no more.
  signaling.send({ type: 'sfu-candidates', leg: 'publisher', candidates: [] });
  await connected(pc);
  const stop = startMedia(audio, video, audioSender, { level: 127 });
  return {
    id: joined.self,
    name,
    async close() {
      stop();
      signaling.close();
      await pc.close();
    },
  };
}
