import type { PeerId, RoomId } from '@ponte/protocol';
import type { SfuBridge, SfuBridgeEvents, SfuEventHandler, SfuStream } from '@ponte/server';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RtpHeader,
  RtpPacket,
  serializeAudioLevelIndication,
  useAudioLevelIndication,
  useSdesMid,
  type RTCRtpTransceiver,
} from 'werift';

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** A werift peer connection that gathers only what reaches Janus here: IPv4, with loopback. */
export function peerConnection(): RTCPeerConnection {
  return new RTCPeerConnection({
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
    // The audio level extension lets Janus tell who talks.
    headerExtensions: { audio: [useSdesMid(), useAudioLevelIndication()] },
  });
}

/** Resolves when the connection has gathered all its candidates (they are then in its SDP). */
export function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
      if (state !== 'complete') return;
      unSubscribe();
      resolve();
    });
  });
}

/** Resolves when `pc` is connected; rejects when it fails. */
export function connected(pc: RTCPeerConnection): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const { unSubscribe } = pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') resolve();
      else if (state === 'failed') reject(new Error('peer connection failed'));
      else return;
      unSubscribe();
    });
  });
}

/** Records a bridge's events and lets a test wait for one. */
export class EventLog {
  readonly events: { name: keyof SfuBridgeEvents; event: unknown }[] = [];
  readonly #waiters = new Set<() => void>();

  readonly handler: SfuEventHandler = (name, event) => {
    this.events.push({ name, event });
    for (const wake of [...this.#waiters]) wake();
  };

  /** The first event `name` at or after `from` (default: from now on) for which `match` holds, and its index. */
  next<K extends keyof SfuBridgeEvents>(
    name: K,
    match: (event: SfuBridgeEvents[K]) => boolean = () => true,
    from = this.events.length,
  ): Promise<{ event: SfuBridgeEvents[K]; index: number }> {
    let index = from;
    return new Promise((resolve) => {
      const check = (): void => {
        for (; index < this.events.length; index++) {
          const entry = this.events[index];
          if (entry?.name === name && match(entry.event as SfuBridgeEvents[K])) {
            this.#waiters.delete(check);
            resolve({ event: entry.event as SfuBridgeEvents[K], index });
            return;
          }
        }
      };
      this.#waiters.add(check);
      check();
    });
  }
}

/** How loud a test publisher claims to be, in -dBov (0 loudest, 127 silent); tests change it. */
export interface Loudness {
  level: number;
}

/**
 * Packets of an Opus frame and of a (fake) VP8 key frame, paced like real media; audio
 * packets carry the audio level extension with `loudness.level`.
 */
export function startMedia(audio: MediaStreamTrack, video: MediaStreamTrack, sender: RTCRtpTransceiver, loudness: Loudness): () => void {
  let audioSeq = 0;
  let videoSeq = 0;
  const opus = Buffer.from([0xf8, 0xff, 0xfe]);
  // VP8 payload descriptor (start of partition 0), then a key frame header for 320x240.
  const vp8 = Buffer.concat([Buffer.from([0x10, 0x50, 0x0b, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00]), Buffer.alloc(200, 7)]);
  const audioTimer = setInterval(() => {
    audioSeq++;
    const id = sender.headerExtensions.find((extension) => extension.uri === AUDIO_LEVEL_URI)?.id;
    const extensions = id === undefined ? [] : [{ id, payload: Buffer.from(serializeAudioLevelIndication(loudness.level)) }];
    const header = new RtpHeader({
      sequenceNumber: audioSeq,
      timestamp: audioSeq * 960,
      marker: false,
      extension: extensions.length > 0,
      extensions,
    });
    audio.writeRtp(new RtpPacket(header, opus));
  }, 20);
  const videoTimer = setInterval(() => {
    videoSeq++;
    video.writeRtp(new RtpPacket(new RtpHeader({ sequenceNumber: videoSeq, timestamp: videoSeq * 3000, marker: true }), vp8));
  }, 33);
  return () => {
    clearInterval(audioTimer);
    clearInterval(videoTimer);
  };
}

/** A participant publishing generated audio and video through the bridge. */
export interface Publisher {
  pc: RTCPeerConnection;
  /** Sends a new offer through the bridge and applies its answer. */
  renegotiate(): Promise<void>;
  close(): Promise<void>;
}

/** Publishes audio and video of `peerId` through `bridge`, and sends RTP once connected. */
export async function publish(bridge: SfuBridge, room: RoomId, peerId: PeerId, loudness: Loudness = { level: 127 }): Promise<Publisher> {
  const pc = peerConnection();
  const audio = new MediaStreamTrack({ kind: 'audio' });
  const video = new MediaStreamTrack({ kind: 'video' });
  const sender = pc.addTransceiver(audio, { direction: 'sendonly' });
  pc.addTransceiver(video, { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const local = pc.localDescription;
  if (!local) throw new Error('no local description');
  const answer = await bridge.publish(room, peerId, { type: 'offer', sdp: local.sdp });
  await pc.setRemoteDescription(answer);
  await bridge.trickle(room, peerId, 'publisher', []);
  await connected(pc);
  const stop = startMedia(audio, video, sender, loudness);
  return {
    pc,
    async renegotiate() {
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      const offer = pc.localDescription;
      if (!offer) throw new Error('no local description');
      await pc.setRemoteDescription(await bridge.publish(room, peerId, { type: 'offer', sdp: offer.sdp }));
    },
    async close() {
      stop();
      await pc.close();
    },
  };
}

/** A participant receiving through the bridge: answers its offers, counts packets per mid. */
export class Subscriber {
  readonly pc = peerConnection();
  /** RTP packets received per mid. */
  readonly packets = new Map<string, number>();
  /** The streams of the latest offer. */
  streams: SfuStream[] = [];
  readonly #arrivals = new Set<() => void>();
  #seen = 0;

  constructor(
    private readonly bridge: SfuBridge,
    private readonly log: EventLog,
    readonly room: RoomId,
    readonly peerId: PeerId,
  ) {
    this.pc.onTrack.subscribe((track) => {
      const transceiver = this.pc
        .getTransceivers()
        .find((candidate) => candidate.receiver.track === track || candidate.receiver.tracks.includes(track));
      track.onReceiveRtp.subscribe(() => {
        const mid = transceiver?.mid ?? '?';
        this.packets.set(mid, (this.packets.get(mid) ?? 0) + 1);
        for (const wake of [...this.#arrivals]) wake();
      });
    });
  }

  /**
   * Answers this participant's offers in order (every offer needs its answer before the
   * bridge sends the next) until one whose streams satisfy `match`; resolves those streams.
   */
  async answerUntil(match: (streams: SfuStream[]) => boolean = () => true): Promise<SfuStream[]> {
    for (;;) {
      const { event, index } = await this.log.next('subscriberOffer', (candidate) => candidate.peerId === this.peerId, this.#seen);
      this.#seen = index + 1;
      await this.pc.setRemoteDescription(event.offer);
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      await gathered(this.pc);
      const local = this.pc.localDescription;
      if (!local) throw new Error('no local description');
      await this.bridge.answerSubscriber(this.room, this.peerId, { type: 'answer', sdp: local.sdp });
      this.streams = event.streams;
      if (match(event.streams)) return event.streams;
    }
  }

  /** The mid that carries `kind` from `from`. */
  mid(from: PeerId, kind: 'audio' | 'video'): string {
    const stream = this.streams.find((candidate) => candidate.peerId === from && candidate.kind === kind);
    if (!stream) throw new Error(`no ${kind} of ${from} in the subscription`);
    return stream.mid;
  }

  /** Resolves once `count` more packets arrived on `mid`. */
  morePackets(mid: string, count: number): Promise<void> {
    const target = (this.packets.get(mid) ?? 0) + count;
    return new Promise((resolve) => {
      const check = (): void => {
        if ((this.packets.get(mid) ?? 0) < target) return;
        this.#arrivals.delete(check);
        resolve();
      };
      this.#arrivals.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    await this.pc.close();
  }
}
