/**
 * The SFU bridge over Janus Gateway's VideoRoom plugin: one Janus session per server process,
 * per participant a publisher handle and a multistream subscriber handle, rooms named the
 * same on every process. It reconnects by itself with backoff when Janus goes away.
 * @module
 */
import Janode, { type Connection, type Handle, type Session } from 'janode';
import VideoRoomPlugin from 'janode/plugins/videoroom';
import type { IceCandidate, PeerId, RoomId, SessionDescription } from '@ponte/protocol';
import { SfuError, type SfuBridge, type SfuBridgeEvents, type SfuEventHandler, type SfuLeg, type SfuStreamRequest } from '@ponte/server';
import type { JanusLog, RoomContext, RoomSettings } from './context.js';
import { JanusRoom } from './JanusRoom.js';
import { toSfuError, videoRoomRequest, withTimeout, type VideoRoomReply } from './videoRoomRequest.js';

/** How to reach Janus and how to behave there. */
export interface JanusSfuOptions {
  /** Janus's WebSocket API, `ws://` or `wss://` (subprotocol `janus-protocol`). */
  url: string;
  /** Janus's `api_secret`, when it has one. */
  apiSecret?: string;
  /** The VideoRoom plugin's `admin_key`, when it has one (then rooms can only be made with it). */
  adminKey?: string;
  /**
   * The deployment's secret from which each VideoRoom's `secret` and `pin` are derived
   * (HMAC-SHA256), so every server process computes the same ones without storing them.
   */
  roomSecret: string;
  /** This server process's id, unique in the deployment (names its room watchers). */
  nodeId: string;
  /** How long one request to Janus may take. Default 10000 ms. */
  requestTimeoutMs?: number;
  /** VideoRoom `publishers` of the rooms the bridge makes. Default 50. */
  maxPublishers?: number;
  /** VideoRoom `audio_active_packets` (how many packets of audio levels make a `talking`). Default 50 (1 s). */
  audioActivePackets?: number;
  /** VideoRoom `audio_level_average` (dBov average that counts as talking; 0 loudest, 127 silent). Default 40. */
  audioLevelAverage?: number;
  /** Janus session keep-alive interval. Default 30 s (Janus drops idle sessions after 60 s by default). */
  keepAliveSeconds?: number;
  /** First delay before reconnecting after Janus went away. Default 250 ms. */
  reconnectMinDelayMs?: number;
  /** Longest delay between reconnect attempts (the delay doubles up to it). Default 10000 ms. */
  reconnectMaxDelayMs?: number;
  /** Where failures outside a request are reported. Default: nowhere. */
  log?: JanusLog;
}

const silent: JanusLog = { warn: () => undefined };

/** A live Janus session with the connection under it. */
interface Link {
  connection: Connection;
  session: Session;
}

/**
 * {@link SfuBridge} over Janus's VideoRoom. Made by {@link connectJanusSfu}; `available` is
 * false while Janus is unreachable, and every request then rejects `unavailable`.
 */
export class JanusSfu implements SfuBridge {
  readonly #options: JanusSfuOptions;
  readonly #settings: RoomSettings;
  readonly #timeoutMs: number;
  readonly #log: JanusLog;
  readonly #rooms = new Map<RoomId, JanusRoom>();
  /** Rooms this process is leaving, until their cleanup has finished. */
  readonly #closing = new Map<RoomId, Promise<void>>();
  #handler: SfuEventHandler = () => undefined;
  #link: Link | undefined;
  #closed = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelayMs: number;
  readonly #context: RoomContext;

  constructor(options: JanusSfuOptions) {
    this.#options = options;
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#log = options.log ?? silent;
    this.#retryDelayMs = options.reconnectMinDelayMs ?? 250;
    this.#settings = {
      adminKey: options.adminKey,
      roomSecret: options.roomSecret,
      nodeId: options.nodeId,
      maxPublishers: options.maxPublishers ?? 50,
      audioActivePackets: options.audioActivePackets ?? 50,
      audioLevelAverage: options.audioLevelAverage ?? 40,
    };
    this.#context = {
      settings: this.#settings,
      attach: () => this.#attach(),
      request: (handle, body, jsep) => this.#request(handle, body, jsep),
      detach: (handle) => this.#detach(handle),
      emit: (name, event) => this.#emit(name, event),
      log: this.#log,
    };
  }

  /** Whether Janus is reachable now (a session is open on it). */
  get available(): boolean {
    return this.#link !== undefined && !this.#closed;
  }

  setEventHandler(handler: SfuEventHandler): void {
    this.#handler = handler;
  }

  /** Opens the first session; rejects `unavailable` when Janus cannot be reached. */
  async open(): Promise<void> {
    await this.#connect();
  }

  publish(room: RoomId, peerId: PeerId, offer: SessionDescription): Promise<SessionDescription> {
    return this.#inRoom(room, (entry) => entry.publish(peerId, offer));
  }

  subscribe(room: RoomId, peerId: PeerId): Promise<void> {
    return this.#inRoom(room, (entry) => entry.subscribe(peerId));
  }

  answerSubscriber(room: RoomId, peerId: PeerId, answer: SessionDescription): Promise<void> {
    return this.#existing(room, (entry) => entry.answerSubscriber(peerId, answer));
  }

  configure(room: RoomId, peerId: PeerId, streams: SfuStreamRequest[]): Promise<void> {
    return this.#existing(room, (entry) => entry.configure(peerId, streams));
  }

  trickle(room: RoomId, peerId: PeerId, leg: SfuLeg, candidates: IceCandidate[]): Promise<void> {
    return this.#existing(room, async (entry) => {
      const handle = entry.handleOf(peerId, leg);
      const request =
        candidates.length === 0
          ? handle.trickle({ completed: true })
          : handle.trickle(candidates.map(({ candidate, sdpMid, sdpMLineIndex }) => ({ candidate, sdpMid, sdpMLineIndex })));
      try {
        await withTimeout(request, this.#timeoutMs, 'a trickle');
      } catch (error) {
        throw this.#failure(error, 'a trickle');
      }
    });
  }

  async leave(room: RoomId, peerId: PeerId): Promise<void> {
    const entry = this.#rooms.get(room);
    if (!entry) return;
    await entry.leave(peerId).catch(() => undefined);
    await this.#closeIfEmpty(room, entry);
  }

  /** Lets go of a room this process has nobody in any more (its cleanup runs before the room is used again). */
  async #closeIfEmpty(room: RoomId, entry: JanusRoom): Promise<void> {
    if (!entry.empty || this.#rooms.get(room) !== entry) return;
    this.#rooms.delete(room);
    const closing = entry.close().finally(() => {
      if (this.#closing.get(room) === closing) this.#closing.delete(room);
    });
    this.#closing.set(room, closing);
    await closing;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const link = this.#link;
    this.#link = undefined;
    for (const room of this.#rooms.values()) room.dispose();
    this.#rooms.clear();
    if (!link) return;
    await withTimeout(link.session.destroy(), this.#timeoutMs, 'destroy').catch(() => undefined);
    await withTimeout(link.connection.close(), this.#timeoutMs, 'close').catch(() => undefined);
  }

  /** Runs `action` on the room's state, made on first use. */
  async #inRoom<T>(room: RoomId, action: (entry: JanusRoom) => Promise<T>): Promise<T> {
    this.#requireAvailable();
    let entry = this.#rooms.get(room);
    if (!entry) {
      entry = new JanusRoom(room, this.#context, this.#closing.get(room));
      this.#rooms.set(room, entry);
    }
    const used = entry;
    return this.#guard(action(entry)).catch(async (error: unknown) => {
      // A first request that failed leaves nobody behind: the room is not kept for nothing.
      if (this.available) await this.#closeIfEmpty(room, used);
      throw error;
    });
  }

  /** Runs `action` on the room's state; rejects `not-in-room` when this process has none. */
  async #existing<T>(room: RoomId, action: (entry: JanusRoom) => Promise<T>): Promise<T> {
    this.#requireAvailable();
    const entry = this.#rooms.get(room);
    if (!entry) throw new SfuError('not-in-room', 'nobody of this room is in the SFU');
    return this.#guard(action(entry));
  }

  /** A failure while Janus went away is `unavailable`, whatever janode said. */
  async #guard<T>(work: Promise<T>): Promise<T> {
    const link = this.#link;
    try {
      return await work;
    } catch (error) {
      if (this.#link !== link || !this.available) throw new SfuError('unavailable', 'Janus became unreachable');
      throw error instanceof SfuError ? error : toSfuError(error, 'the request');
    }
  }

  #requireAvailable(): void {
    if (this.#closed) throw new SfuError('unavailable', 'the SFU bridge is closed');
    if (!this.#link) throw new SfuError('unavailable', 'Janus is unreachable');
  }

  #failure(error: unknown, what: string): SfuError {
    if (!this.available) return new SfuError('unavailable', 'Janus became unreachable');
    return toSfuError(error, what);
  }

  async #attach(): Promise<Handle> {
    const link = this.#link;
    if (!link) throw new SfuError('unavailable', 'Janus is unreachable');
    try {
      const attaching = link.session.attach(VideoRoomPlugin);
      // A handle that arrives after the timeout is detached, not leaked.
      const handle = await withTimeout(attaching, this.#timeoutMs, 'attach').catch((error: unknown) => {
        attaching.then((late) => this.#detach(late)).catch(() => undefined);
        throw error;
      });
      return handle;
    } catch (error) {
      throw this.#failure(error, 'attach');
    }
  }

  async #request(handle: Handle, body: Record<string, unknown>, jsep?: SessionDescription): Promise<VideoRoomReply> {
    if (!this.#link) throw new SfuError('unavailable', 'Janus is unreachable');
    try {
      return await videoRoomRequest(handle, body, this.#timeoutMs, jsep);
    } catch (error) {
      throw this.#failure(error, 'the request');
    }
  }

  async #detach(handle: Handle): Promise<void> {
    if (!this.#link) return;
    await withTimeout(handle.detach(), this.#timeoutMs, 'detach').catch(() => undefined);
  }

  #emit<K extends keyof SfuBridgeEvents>(name: K, event: SfuBridgeEvents[K]): void {
    try {
      this.#handler(name, event);
    } catch (error) {
      this.#log.warn({ event: name, error: String(error) }, 'SFU event handler threw');
    }
  }

  /** Opens a connection and a session; on success follows them until they are lost. */
  async #connect(): Promise<void> {
    let connection: Connection | undefined;
    try {
      const connecting = Janode.connect({
        address: { url: this.#options.url, ...(this.#options.apiSecret !== undefined ? { apisecret: this.#options.apiSecret } : {}) },
        // The bridge retries by itself, with its own backoff.
        max_retries: 0,
        retry_time_secs: 1,
        ws_options: { handshakeTimeout: this.#timeoutMs },
      });
      connection = await withTimeout(connecting, this.#timeoutMs, 'connect').catch((error: unknown) => {
        // A connection that opens after the timeout is closed, not leaked.
        connecting.then((late) => late.close()).catch(() => undefined);
        throw error;
      });
      const session = await withTimeout(connection.create(this.#options.keepAliveSeconds ?? 30), this.#timeoutMs, 'create session');
      if (this.#closed) {
        await connection.close().catch(() => undefined);
        return;
      }
      const link: Link = { connection, session };
      this.#link = link;
      const lost = (): void => this.#lost(link);
      connection.once('connection_error', lost);
      connection.once('connection_closed', lost);
      session.once('session_destroyed', lost);
    } catch (error) {
      await connection?.close().catch(() => undefined);
      throw new SfuError('unavailable', `Janus is unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #lost(link: Link): void {
    if (this.#link !== link) return;
    this.#link = undefined;
    link.connection.close().catch(() => undefined);
    for (const room of this.#rooms.values()) room.dispose();
    this.#rooms.clear();
    this.#closing.clear();
    if (this.#closed) return;
    this.#emit('availability', { available: false });
    this.#retryDelayMs = this.#options.reconnectMinDelayMs ?? 250;
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    // ±20% jitter, so the processes of a deployment do not all come back at once.
    const delay = this.#retryDelayMs * (0.8 + Math.random() * 0.4);
    this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, this.#options.reconnectMaxDelayMs ?? 10_000);
    this.#retryTimer = setTimeout(() => {
      this.#connect().then(
        () => {
          if (this.available) this.#emit('availability', { available: true });
        },
        () => {
          if (!this.#closed) this.#scheduleReconnect();
        },
      );
    }, delay);
  }
}

/**
 * Connects a {@link JanusSfu} to Janus and resolves it once its session is open; rejects with
 * `SfuError('unavailable')` when Janus cannot be reached. Janode's own console logging is
 * silenced (process-wide): the bridge reports through `options.log`.
 */
export async function connectJanusSfu(options: JanusSfuOptions): Promise<JanusSfu> {
  Janode.Logger.setLevel('none');
  const bridge = new JanusSfu(options);
  await bridge.open();
  return bridge;
}
