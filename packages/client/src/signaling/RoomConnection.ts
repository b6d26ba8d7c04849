import {
  PROTOCOL_MINOR,
  PROTOCOL_VERSION,
  announcedFeatures,
  commonFeatures,
  type ClientFrame,
  type Feature,
  type JoinedFrame,
  type MediaState,
  type PeerJoinedFrame,
  type PeerLeftFrame,
  type PeerUpdatedFrame,
  type RefreshFrame,
  type RelayedSignalFrame,
  type ResumedFrame,
  type ServerFrame,
  type SignalData,
  type TopologyFrame,
  type MessageFrame,
  type RelayedMessageFrame,
} from '@ponte/protocol';
import { isSfuRefusal, type SfuNews, type SfuRequest } from '../topology/sfu/sfuFrames.js';
import { PonteError } from '../errors/PonteError.js';
import type { SignalClient } from './SignalClient.js';
import { SIGNALING_TIMEOUT_DEFAULTS } from './timeouts.js';
import { TypedEmitter } from '../events/TypedEmitter.js';

/** Who we are in the room, read afresh at every (re)join. */
export interface RoomIdentity {
  room: string;
  name: string;
  state: MediaState;
  password?: string;
  token?: string;
}

/** A frame another peer caused, relayed by the server (counted for replay on resume). */
export type RelayedFrame = PeerJoinedFrame | PeerLeftFrame | PeerUpdatedFrame | RelayedSignalFrame;

/**
 * The features this SDK announces: those of the protocol's `FEATURES` it can use (`sfu`: it
 * carries a room's media through an SFU when the server says so, see `SwitchingTopology`).
 */
export const CLIENT_FEATURES: readonly Feature[] = Object.freeze(['resume', 'sfu']);

/** Events of a {@link RoomConnection}. */
export interface RoomConnectionEvents {
  /**
   * We are back after a lost connection: `resumed` (same id; `frame.lapsed` says whether the
   * room had given up on us), or `rejoined` with a new id when resuming was refused.
   */
  restored: { kind: 'resumed'; frame: ResumedFrame } | { kind: 'rejoined'; frame: JoinedFrame };
  relayed: RelayedFrame;
  /** A message a peer sent through the server (counted for replay, like relayed frames). */
  message: RelayedMessageFrame;
  /** The room carries its media another way from now on (counted for replay, like relayed frames). */
  topology: TopologyFrame;
  /** The SFU's answers and offers, who speaks, and refusals of our `sfu-*` requests (never replayed). */
  sfu: SfuNews;
  refresh: RefreshFrame;
  reconnecting: { attempt: number; delayMs: number; error: PonteError };
  /** An error frame not tied to a join/resume, or an invalid frame from the server. */
  error: PonteError;
  /** The connection is over for good; `error` when it was not asked for. */
  closed: { error: PonteError | null };
}

/** Options of a {@link RoomConnection}. */
export interface RoomConnectionOptions {
  /**
   * How long the server may take to answer a `join` or `resume`, in ms, before it fails with
   * `TIMEOUT`. A join rejects; a resume that goes unanswered ends the connection. Default 10000.
   */
  answerTimeoutMs?: number;
}

/** Most signals held while the connection is being restored. */
const OUTBOX_LIMIT = 256;

interface Pending {
  expect: 'joined' | 'resumed';
  resolve: (frame: JoinedFrame | ResumedFrame) => void;
  reject: (error: PonteError) => void;
}

/**
 * A room's session with the signaling server, over a {@link SignalClient}: the join and
 * resume handshakes, the resume token, the count of relayed frames (so the server can
 * replay what a lost connection missed), and an outbox that holds our signals while the
 * connection is being restored, so none is lost.
 */
export class RoomConnection extends TypedEmitter<RoomConnectionEvents> {
  readonly #client: SignalClient;
  readonly #identity: () => RoomIdentity;
  #token: string | null = null;
  #received = 0;
  #ready = false;
  #outbox: ClientFrame[] = [];
  #pending: Pending | null = null;
  #features: Feature[] = [];
  /** The server's minor version, from its last answer (a server of minor 0 states none); null before. */
  #serverMinor: number | null = null;
  readonly #answerTimeoutMs: number;

  constructor(client: SignalClient, identity: () => RoomIdentity, options: RoomConnectionOptions = {}) {
    super();
    this.#client = client;
    this.#identity = identity;
    this.#answerTimeoutMs = options.answerTimeoutMs ?? SIGNALING_TIMEOUT_DEFAULTS.answerTimeoutMs;
    client.on('frame', (frame) => this.#onFrame(frame));
    client.on('error', (error) => this.emit('error', error));
    client.on('reconnecting', (event) => {
      this.#ready = false;
      this.#pending?.reject(event.error);
      this.emit('reconnecting', event);
    });
    client.on('reconnected', () => void this.#restore());
    client.on('close', ({ error }) => {
      this.#ready = false;
      this.#pending?.reject(error ?? PonteError.invalidState('The connection was closed.'));
      this.emit('closed', { error });
    });
  }

  /**
   * The features both this SDK and the server have, from the last `joined`/`resumed` (empty
   * before): only these are used (a server without `resume` is joined afresh after a lost
   * connection).
   */
  get features(): readonly Feature[] {
    return this.#features;
  }

  /**
   * Connects and joins; rejects with the server's refusal (e.g. `ROOM_FULL`), with
   * `CONNECTION_FAILED`, or with `TIMEOUT` when the join goes unanswered.
   */
  async open(): Promise<JoinedFrame> {
    await this.#client.connect();
    const joined = await this.#join();
    this.#ready = true;
    return joined;
  }

  /** Sends signaling data to a peer; held while the connection is being restored. */
  signal(to: string, data: SignalData): void {
    this.#send({ type: 'signal', to, data });
  }

  /**
   * Sends a request about the SFU. Dropped while the connection is being restored: the server
   * ends our SFU connections with the socket, and we publish and subscribe afresh after it.
   */
  sendSfu(frame: SfuRequest): void {
    if (this.#ready) this.#client.send(frame);
  }

  /** Sends a message for the server to relay to peers of the room (`message` frame). */
  relay(frame: MessageFrame): void {
    this.#send(frame);
  }

  /** Tells the room our new state or name (a restored connection carries the latest anyway). */
  update(change: { name?: string; state?: MediaState }): void {
    if (this.#ready) this.#client.send({ type: 'update', ...change });
  }

  /** Leaves the room and closes the connection. */
  leave(): void {
    if (this.#ready) this.#client.send({ type: 'leave' });
    this.close();
  }

  /** Closes the connection for good. */
  close(): void {
    this.#ready = false;
    this.#outbox = [];
    this.#client.close();
  }

  #send(frame: ClientFrame): void {
    if (this.#ready && this.#client.send(frame)) return;
    if (this.#outbox.length < OUTBOX_LIMIT) this.#outbox.push(frame);
  }

  /**
   * Our version and features, as a `join`/`resume` states them; only the major for a server of
   * minor 0, which is strict and would refuse the fields it does not know.
   */
  #versionFields(): { version: number; minor?: number; features?: Feature[] } {
    return this.#serverMinor === 0
      ? { version: PROTOCOL_VERSION }
      : { version: PROTOCOL_VERSION, minor: PROTOCOL_MINOR, features: [...CLIENT_FEATURES] };
  }

  async #join(): Promise<JoinedFrame> {
    const { room, name, state, password, token } = this.#identity();
    const join = (version: { version: number; minor?: number; features?: Feature[] }): ClientFrame => ({
      type: 'join',
      ...version,
      room,
      name,
      state,
      ...(password === undefined ? {} : { password }),
      ...(token === undefined ? {} : { token }),
    });
    try {
      return (await this.#ask('joined', join(this.#versionFields()))) as JoinedFrame;
    } catch (error) {
      // A server of minor 0 refuses `minor` and `features` (BAD_MESSAGE): ask once more as a
      // client of minor 0, which it knows. A server whose minor we know refused something else.
      if (this.#serverMinor !== null || !(error instanceof PonteError) || error.code !== 'BAD_MESSAGE') throw error;
      return (await this.#ask('joined', join({ version: PROTOCOL_VERSION }))) as JoinedFrame;
    }
  }

  async #restore(): Promise<void> {
    const { name, state } = this.#identity();
    try {
      if (this.#token !== null && this.#features.includes('resume')) {
        try {
          const frame = (await this.#ask('resumed', {
            type: 'resume',
            ...this.#versionFields(),
            token: this.#token,
            name,
            state,
            received: this.#received,
          })) as ResumedFrame;
          this.#ready = true;
          this.emit('restored', { kind: 'resumed', frame });
          for (const held of this.#outbox.splice(0)) this.#client.send(held);
          return;
        } catch (error) {
          if (!(error instanceof PonteError) || error.code !== 'RESUME_FAILED') throw error;
        }
      }
      // Resuming was refused: join afresh, as a new peer; held signals were for the old one.
      this.#outbox = [];
      const frame = await this.#join();
      this.#ready = true;
      this.emit('restored', { kind: 'rejoined', frame });
    } catch (error) {
      // The server cannot serve us now (it lost its room store, or drains): try again later,
      // perhaps on another process, with backoff.
      if (error instanceof PonteError && error.code === 'UNAVAILABLE') {
        this.#client.retryLater(error);
        return;
      }
      // The connection dropped again (a new attempt follows), or the room refused us.
      if (error instanceof PonteError && error.code !== 'CONNECTION_LOST') {
        this.emit('error', error);
        this.close();
      }
    }
  }

  /** Sends `frame` and waits for the answer `expect`, at most `answerTimeoutMs`. */
  #ask(expect: Pending['expect'], frame: ClientFrame): Promise<JoinedFrame | ResumedFrame> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Promise((resolve, reject) => {
      this.#pending = { expect, resolve, reject };
      if (!this.#client.send(frame)) {
        reject(PonteError.connectionLost(1006, 'not connected'));
        return;
      }
      timer = setTimeout(() => reject(PonteError.timeout(frame.type, this.#answerTimeoutMs)), this.#answerTimeoutMs);
    }).finally(() => {
      clearTimeout(timer);
      this.#pending = null;
    }) as Promise<JoinedFrame | ResumedFrame>;
  }

  #onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'joined':
      case 'resumed':
        this.#token = frame.resumeToken;
        this.#received = frame.type === 'joined' ? 0 : frame.replayFrom;
        this.#features = commonFeatures(CLIENT_FEATURES, announcedFeatures(frame));
        this.#serverMinor = frame.minor ?? 0;
        if (this.#pending?.expect === frame.type) this.#pending.resolve(frame);
        else this.emit('error', PonteError.protocol(`an unexpected "${frame.type}" frame`));
        return;
      case 'refresh':
        this.#token = frame.resumeToken;
        this.emit('refresh', frame);
        return;
      case 'error':
        if (this.#pending && (frame.ref === 'join' || frame.ref === 'resume')) this.#pending.reject(PonteError.fromFrame(frame));
        else if (isSfuRefusal(frame)) this.emit('sfu', frame);
        else this.emit('error', PonteError.fromFrame(frame));
        return;
      case 'topology':
        // Announced to the whole room, so counted for replay like the frames of peers.
        this.#received += 1;
        this.emit('topology', frame);
        return;
      case 'message':
        this.#received += 1;
        this.emit('message', frame);
        return;
      case 'sfu-published':
      case 'sfu-offer':
      case 'sfu-speaking':
        // Answers and news for this session alone: not counted, never replayed.
        this.emit('sfu', frame);
        return;
      default:
        this.#received += 1;
        this.emit('relayed', frame);
    }
  }
}
