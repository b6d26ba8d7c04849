/**
 * One Ponte room's VideoRoom as one server process sees it: the VideoRoom made on first use,
 * a watcher (a participant that never publishes) that hears who publishes, stops and talks,
 * and this process's participants with their publisher handle and subscription.
 * @module
 */
import type { Handle } from 'janode';
import type { PeerId, RoomId, SessionDescription } from '@ponte/protocol';
import { SfuError, type SfuLeg } from '@ponte/server';
import type { RoomContext } from './context.js';
import { isWatcherFeed, publisherFeedId, videoRoomId, videoRoomKeys, watcherFeedId } from './naming.js';
import { Subscription } from './Subscription.js';
import { isRefusal, VideoRoomCode } from './videoRoomRequest.js';

/** A participant of this process in the room. */
interface Participant {
  readonly peerId: PeerId;
  readonly feed: string;
  publisher?: Handle;
  /** The publisher handle joined the VideoRoom (each offer is then a `configure`). */
  joined: boolean;
  /** A publish is under way (a second one is refused, not queued). */
  publishing: boolean;
  subscription?: Subscription;
  legs: Partial<Record<SfuLeg, 'up' | 'down'>>;
}

/** The room in Janus, for this process. */
export class JanusRoom {
  readonly videoRoom: string;
  readonly secret: string;
  readonly pin: string;
  readonly #participants = new Map<PeerId, Participant>();
  readonly #publishers = new Map<string, PeerId>();
  readonly #talking = new Map<PeerId, { level: number; at: number }>();
  #ready: Promise<void> | undefined;
  #watcher: Handle | undefined;
  #disposed = false;

  constructor(
    readonly room: RoomId,
    private readonly context: RoomContext,
    /** Resolves when a previous incarnation of this room in this process has finished closing. */
    private readonly previous: Promise<void> = Promise.resolve(),
  ) {
    this.videoRoom = videoRoomId(room);
    const keys = videoRoomKeys(context.settings.roomSecret, this.videoRoom);
    this.secret = keys.secret;
    this.pin = keys.pin;
  }

  /** Who publishes in the room now (every process's participants): feed id → peer id. */
  publishers(): ReadonlyMap<string, PeerId> {
    return this.#publishers;
  }

  /** Whether this process has participants in the room. */
  get empty(): boolean {
    return this.#participants.size === 0;
  }

  /** Publishes a participant's media; resolves Janus's answer. */
  async publish(peerId: PeerId, offer: SessionDescription): Promise<SessionDescription> {
    if (offer.type !== 'offer') throw new SfuError('rejected', 'the publisher description must be an offer');
    // The participant counts from the start, so a leave meanwhile does not close the room under it.
    const participant = this.#participant(peerId);
    await this.#readyFor(participant);
    if (participant.publishing) throw new SfuError('rejected', 'a publish of this participant is already under way');
    participant.publishing = true;
    try {
      if (!participant.publisher) {
        const handle = await this.context.attach();
        if (this.#participants.get(peerId) !== participant) {
          await this.context.detach(handle);
          throw new SfuError('not-in-room', 'the participant left the SFU room');
        }
        participant.publisher = handle;
        this.#follow(handle, participant, 'publisher');
      }
      const handle = participant.publisher;
      if (!participant.joined) {
        // Join first, without the offer: a refused join (room gone, id held by a stale
        // session) can then be tried again on the same handle, which a refused offer cannot.
        const join = { request: 'join', ptype: 'publisher', room: this.videoRoom, pin: this.pin, id: participant.feed, display: peerId };
        await this.#joining(() => this.context.request(handle, join), participant.feed);
        participant.joined = true;
      }
      const reply = await this.context.request(handle, { request: 'configure' }, offer);
      if (reply.jsep?.type !== 'answer') throw new SfuError('rejected', 'Janus gave no answer to the publisher offer');
      return reply.jsep;
    } finally {
      participant.publishing = false;
    }
  }

  /** Subscribes a participant to every other publisher, now and as they come. */
  async subscribe(peerId: PeerId): Promise<void> {
    const participant = this.#participant(peerId);
    await this.#readyFor(participant);
    participant.subscription ??= new Subscription(this, peerId, participant.feed, this.context, (handle) =>
      this.#follow(handle, participant, 'subscriber'),
    );
    await participant.subscription.sync();
  }

  /** The participant's answer to its latest subscriber offer. */
  answerSubscriber(peerId: PeerId, answer: SessionDescription): Promise<void> {
    return this.#subscription(peerId).answer(answer);
  }

  /** Layers and pauses of what the participant receives. */
  configure(peerId: PeerId, streams: Parameters<Subscription['configure']>[0]): Promise<void> {
    return this.#subscription(peerId).configure(streams);
  }

  /** The handle of one of a participant's connections; rejects `not-in-room` without one. */
  handleOf(peerId: PeerId, leg: SfuLeg): Handle {
    const participant = this.#participants.get(peerId);
    const handle = leg === 'publisher' ? participant?.publisher : participant?.subscription?.handle;
    if (!handle) throw new SfuError('not-in-room', `the participant has no ${leg} connection to the SFU`);
    return handle;
  }

  /** The participant leaves: both handles are detached (never rejects). */
  async leave(peerId: PeerId): Promise<void> {
    const participant = this.#participants.get(peerId);
    if (!participant) return;
    this.#participants.delete(peerId);
    const publisher = participant.publisher;
    await Promise.all([publisher ? this.context.detach(publisher) : undefined, participant.subscription?.close()]);
  }

  /**
   * This process is done with the room: its watcher leaves, and the VideoRoom is destroyed
   * when nobody is left in it (a process that joins meanwhile finds it gone and makes it again).
   */
  async close(): Promise<void> {
    this.#disposed = true;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    if (!watcher) return;
    try {
      await this.context.request(watcher, { request: 'leave' });
      const listed = await this.context.request(watcher, { request: 'listparticipants', room: this.videoRoom });
      const participants = Array.isArray(listed.data.participants) ? listed.data.participants : [];
      if (participants.length === 0) await this.context.request(watcher, { request: 'destroy', room: this.videoRoom, secret: this.secret });
    } catch (error) {
      if (!isRefusal(error, VideoRoomCode.noSuchRoom)) this.context.log.warn({ room: this.room, error: String(error) }, 'SFU room cleanup failed');
    } finally {
      await this.context.detach(watcher);
    }
  }

  /** The Janus session is gone: forget everything without sending anything. */
  dispose(): void {
    this.#disposed = true;
    this.#participants.clear();
    this.#watcher = undefined;
  }

  #participant(peerId: PeerId): Participant {
    let participant = this.#participants.get(peerId);
    if (!participant) {
      participant = { peerId, feed: publisherFeedId(peerId), joined: false, publishing: false, legs: {} };
      this.#participants.set(peerId, participant);
    }
    return participant;
  }

  #subscription(peerId: PeerId): Subscription {
    const subscription = this.#participants.get(peerId)?.subscription;
    if (!subscription) throw new SfuError('not-in-room', 'the participant has not subscribed in this SFU room');
    return subscription;
  }

  /** {@link #ensureReady} for a participant, which is forgotten again if it failed before having anything. */
  async #readyFor(participant: Participant): Promise<void> {
    try {
      await this.#ensureReady();
    } catch (error) {
      if (!participant.publisher && !participant.subscription && this.#participants.get(participant.peerId) === participant) {
        this.#participants.delete(participant.peerId);
      }
      throw error;
    }
  }

  /** The VideoRoom exists and the watcher is in it; a failed try is tried again next time. */
  #ensureReady(): Promise<void> {
    if (this.#disposed) return Promise.reject(new SfuError('unavailable', 'the SFU room was closed'));
    this.#ready ??= this.previous.then(() => this.#prepare());
    const ready = this.#ready;
    ready.catch(() => {
      if (this.#ready === ready) this.#ready = undefined;
    });
    return ready;
  }

  async #prepare(): Promise<void> {
    const watcher = await this.context.attach();
    this.#watcher = watcher;
    try {
      this.#watch(watcher);
      const feed = watcherFeedId(this.context.settings.nodeId);
      const join = { request: 'join', ptype: 'publisher', room: this.videoRoom, pin: this.pin, id: feed, display: 'ponte-watcher' };
      const reply = await this.#joining(() => this.context.request(watcher, join), feed);
      this.#addPublishers(reply.data.publishers);
    } catch (error) {
      this.#watcher = undefined;
      await this.context.detach(watcher);
      throw error;
    }
  }

  /**
   * Runs a VideoRoom join: makes the room when it does not exist (a race with another process
   * making it too is fine) and, when a stale participant of ours holds the id (a session Janus
   * has not timed out yet), kicks it; each once.
   */
  async #joining<T>(join: () => Promise<T>, feed: string): Promise<T> {
    try {
      return await join();
    } catch (error) {
      if (isRefusal(error, VideoRoomCode.noSuchRoom)) await this.#create();
      else if (isRefusal(error, VideoRoomCode.idExists)) await this.#kick(feed);
      else throw error;
      return join();
    }
  }

  async #create(): Promise<void> {
    const watcher = this.#watcher;
    if (!watcher) throw new SfuError('unavailable', 'the SFU room was closed');
    const { adminKey, maxPublishers, audioActivePackets, audioLevelAverage } = this.context.settings;
    const body: Record<string, unknown> = {
      request: 'create',
      room: this.videoRoom,
      description: this.videoRoom,
      secret: this.secret,
      pin: this.pin,
      is_private: true,
      permanent: false,
      publishers: maxPublishers,
      audiolevel_event: true,
      audio_active_packets: audioActivePackets,
      audio_level_average: audioLevelAverage,
    };
    if (adminKey !== undefined) body.admin_key = adminKey;
    try {
      await this.context.request(watcher, body);
    } catch (error) {
      if (!isRefusal(error, VideoRoomCode.roomExists)) throw error;
    }
  }

  async #kick(feed: string): Promise<void> {
    const watcher = this.#watcher;
    if (!watcher) throw new SfuError('unavailable', 'the SFU room was closed');
    await this.context.request(watcher, { request: 'kick', room: this.videoRoom, secret: this.secret, id: feed }).catch((error: unknown) => {
      if (!isRefusal(error, VideoRoomCode.noSuchFeed)) throw error;
    });
  }

  /** Follows the room through the watcher: publishers coming and going, who talks. */
  #watch(watcher: Handle): void {
    watcher.on('videoroom_publisher_list', (event: { publishers?: unknown }) => this.#addPublishers(event.publishers));
    const gone = (event: { feed?: unknown }): void => {
      if (typeof event.feed === 'string') this.#removePublisher(event.feed);
    };
    watcher.on('videoroom_unpublished', gone);
    watcher.on('videoroom_leaving', gone);
    watcher.on('videoroom_kicked', gone);
    watcher.on('videoroom_talking', (event: { feed?: unknown; talking?: unknown; audio_level?: unknown }) => {
      const peerId = typeof event.feed === 'string' ? this.#publishers.get(event.feed) : undefined;
      if (peerId === undefined) return;
      if (event.talking === true)
        this.#talking.set(peerId, { level: typeof event.audio_level === 'number' ? event.audio_level : 127, at: Date.now() });
      else if (!this.#talking.delete(peerId)) return;
      this.#emitSpeaking();
    });
  }

  #addPublishers(list: unknown): void {
    if (!Array.isArray(list)) return;
    let changed = false;
    for (const entry of list as { feed?: unknown; display?: unknown }[]) {
      const { feed, display } = entry;
      if (typeof feed !== 'string' || typeof display !== 'string' || isWatcherFeed(feed)) continue;
      if (this.#publishers.get(feed) === display) continue;
      this.#publishers.set(feed, display);
      changed = true;
    }
    if (changed) this.#resync();
  }

  #removePublisher(feed: string): void {
    const peerId = this.#publishers.get(feed);
    if (peerId === undefined) return;
    this.#publishers.delete(feed);
    if (this.#talking.delete(peerId)) this.#emitSpeaking();
    this.#resync();
  }

  /** Every subscription of this process follows the new list of publishers. */
  #resync(): void {
    for (const participant of this.#participants.values()) {
      participant.subscription
        ?.sync()
        .catch((error: unknown) =>
          this.context.log.warn({ room: this.room, peerId: participant.peerId, error: String(error) }, 'SFU subscription update failed'),
        );
    }
  }

  /** Loudest first (dBov: lower is louder), then the most recent. */
  #emitSpeaking(): void {
    const peerIds = [...this.#talking.entries()].sort(([, a], [, b]) => a.level - b.level || b.at - a.at).map(([peerId]) => peerId);
    this.context.emit('speaking', { room: this.room, peerIds });
  }

  /** Janus's view of one of a participant's connections, as `connection` events on change. */
  #follow(handle: Handle, participant: Participant, leg: SfuLeg): void {
    const state = (next: 'up' | 'down'): void => {
      if (this.#participants.get(participant.peerId) !== participant || participant.legs[leg] === next) return;
      participant.legs[leg] = next;
      this.context.emit('connection', { room: this.room, peerId: participant.peerId, leg, state: next });
    };
    handle.on('handle_webrtcup', () => state('up'));
    handle.on('handle_media', (event: { receiving?: unknown }) => {
      if (event.receiving === true) state('up');
    });
    handle.on('handle_hangup', () => state('down'));
    handle.on('handle_ice_failed', () => state('down'));
  }
}
