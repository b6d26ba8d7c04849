/**
 * A participant's multistream subscriber handle: one Janus PeerConnection that carries every
 * other publisher of the room. It follows the room's publishers with `update` requests, one
 * negotiation at a time: a change that comes while an offer waits for its answer is applied
 * after the answer (the pending state is one flag, never a queue).
 * @module
 */
import type { Handle } from 'janode';
import type { PeerId, RoomId, SessionDescription } from '@ponte/protocol';
import { SfuError, type SfuStream, type SfuStreamRequest } from '@ponte/server';
import type { RoomContext } from './context.js';
import { isRefusal, VideoRoomCode, type VideoRoomReply } from './videoRoomRequest.js';

/** The room as a subscription sees it. */
export interface SubscribedRoom {
  readonly room: RoomId;
  readonly videoRoom: string;
  readonly pin: string;
  /** Who publishes in the room now: VideoRoom feed id → Ponte peer id. */
  publishers(): ReadonlyMap<string, PeerId>;
}

/** One entry of the `streams` list of Janus's `attached`/`updated` events. */
interface JanusStream {
  type?: unknown;
  active?: unknown;
  mid?: unknown;
  feed_id?: unknown;
  feed_display?: unknown;
}

type Phase = 'idle' | 'negotiating' | 'awaiting-answer';

/** One participant's subscriber connection to Janus. */
export class Subscription {
  #handle: Handle | undefined;
  #joined = false;
  #phase: Phase = 'idle';
  #dirty = false;
  #closed = false;
  /** Feeds Janus sends on this connection now. */
  #feeds = new Set<string>();
  #streams: SfuStream[] = [];

  constructor(
    private readonly room: SubscribedRoom,
    private readonly peerId: PeerId,
    private readonly ownFeed: string,
    private readonly context: RoomContext,
    /** Called once with the handle when it is attached (to follow its connection state). */
    private readonly onHandle: (handle: Handle) => void,
  ) {}

  /** The subscriber handle, once attached. */
  get handle(): Handle | undefined {
    return this.#handle;
  }

  /**
   * Brings the subscription in line with the room's publishers: joins, or sends an `update`,
   * and emits the resulting offer as `subscriberOffer`. Resolves when that is done (or when
   * nothing was to do); a change during a negotiation is applied after it.
   */
  async sync(): Promise<void> {
    if (this.#closed) return;
    if (this.#phase !== 'idle') {
      this.#dirty = true;
      return;
    }
    this.#dirty = false;
    const desired = [...this.room.publishers().keys()].filter((feed) => feed !== this.ownFeed);
    this.#phase = 'negotiating';
    try {
      if (!this.#joined) {
        // Janus cannot join a subscriber to nothing: wait for the first publisher.
        if (desired.length === 0) return this.#settle();
        this.#handle ??= await this.#attach();
        const reply = await this.context.request(this.#handle, {
          request: 'join',
          ptype: 'subscriber',
          room: this.room.videoRoom,
          pin: this.room.pin,
          streams: desired.map((feed) => ({ feed })),
          // The bridge sends every update itself, so Janus never renegotiates behind its back.
          autoupdate: false,
        });
        this.#joined = true;
        return this.#offered(reply);
      }
      const wanted = new Set(desired);
      const subscribe = desired.filter((feed) => !this.#feeds.has(feed)).map((feed) => ({ feed }));
      const unsubscribe = [...this.#feeds].filter((feed) => !wanted.has(feed)).map((feed) => ({ feed }));
      if (subscribe.length === 0 && unsubscribe.length === 0) return this.#settle();
      const body: Record<string, unknown> = { request: 'update' };
      if (subscribe.length > 0) body.subscribe = subscribe;
      if (unsubscribe.length > 0) body.unsubscribe = unsubscribe;
      const handle = this.#handle;
      if (!handle) return this.#settle();
      return this.#offered(await this.context.request(handle, body));
    } catch (error) {
      if (isRefusal(error, VideoRoomCode.noSuchFeed)) {
        // A publisher left between the watcher's list and this request: the watcher's event
        // for it runs this again (at once, if it came meanwhile), so this is not a failure.
        this.context.log.warn({ room: this.room.room, peerId: this.peerId }, 'SFU subscription raced a leaving publisher');
        return this.#settle();
      }
      this.#settle();
      throw error;
    }
  }

  /** The participant's answer to the latest offer: Janus starts (or resumes) sending. */
  async answer(answer: SessionDescription): Promise<void> {
    const handle = this.#handle;
    if (!handle || this.#phase !== 'awaiting-answer') throw new SfuError('rejected', 'no subscriber offer is waiting for an answer');
    if (answer.type !== 'answer') throw new SfuError('rejected', 'the subscriber answer must be of type "answer"');
    await this.context.request(handle, { request: 'start' }, answer);
    this.#settle();
  }

  /** Layers and pauses of the streams received (multistream `configure`). */
  async configure(requests: SfuStreamRequest[]): Promise<void> {
    const handle = this.#handle;
    if (!handle || !this.#joined) throw new SfuError('rejected', 'the participant receives no streams yet');
    const known = new Set(this.#streams.map((stream) => stream.mid));
    const streams = requests.map((request) => {
      if (!known.has(request.mid)) throw new SfuError('rejected', `no stream with mid "${request.mid}" is received`);
      const entry: Record<string, unknown> = { mid: request.mid };
      if (request.layer !== undefined) entry.substream = request.layer;
      if (request.paused !== undefined) entry.send = !request.paused;
      return entry;
    });
    if (streams.length === 0) return;
    await this.context.request(handle, { request: 'configure', streams });
  }

  /** Ends the subscription: detaches the handle (never rejects). */
  async close(): Promise<void> {
    this.#closed = true;
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle) await this.context.detach(handle);
  }

  async #attach(): Promise<Handle> {
    const handle = await this.context.attach();
    if (this.#closed) {
      await this.context.detach(handle);
      throw new SfuError('not-in-room', 'the participant left the SFU room');
    }
    this.onHandle(handle);
    return handle;
  }

  #offered(reply: VideoRoomReply): void {
    const list = Array.isArray(reply.data.streams) ? (reply.data.streams as JanusStream[]) : undefined;
    if (list) {
      const publishers = this.room.publishers();
      this.#streams = [];
      this.#feeds.clear();
      for (const stream of list) {
        const { type, active, mid, feed_id: feed, feed_display: display } = stream;
        if (active === false || typeof mid !== 'string' || typeof feed !== 'string') continue;
        if (type !== 'audio' && type !== 'video') continue;
        this.#feeds.add(feed);
        const peerId = publishers.get(feed) ?? (typeof display === 'string' ? display : undefined);
        if (peerId !== undefined) this.#streams.push({ mid, peerId, kind: type });
      }
    }
    if (reply.jsep?.type !== 'offer') return this.#settle();
    this.#phase = 'awaiting-answer';
    this.context.emit('subscriberOffer', { room: this.room.room, peerId: this.peerId, offer: reply.jsep, streams: [...this.#streams] });
  }

  /** Back to idle; applies a change that came meanwhile. */
  #settle(): void {
    this.#phase = 'idle';
    if (!this.#dirty || this.#closed) return;
    this.#dirty = false;
    this.sync().catch((error: unknown) =>
      this.context.log.warn({ room: this.room.room, peerId: this.peerId, error: String(error) }, 'SFU subscription update failed'),
    );
  }
}
