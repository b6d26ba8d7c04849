import type { ErrorCode, IceServer, MediaState, PeerId, PeerInfo, RoomId, SfuNewsFrame, SfuRequestFrame, TopologyMode } from '@ponte/protocol';
import type { EncodedFrame } from '../rooms/EncodedFrame.js';

// ---------------------------------------------------------------- room commands (dialect -> session)

/** Enter a room as a new peer; the server mints its id. */
export interface JoinCommand {
  readonly type: 'join';
  /** The protocol version the client states, which the session checks before anything else. */
  readonly version: number;
  /** The minor version and the features the client states (docs/protocol.md, "Versions and features"). */
  readonly minor?: number;
  readonly features?: string[];
  readonly room: RoomId;
  /** The display name asked for (a join token may replace it). */
  readonly name: string;
  /** The media state to start with. Default: all off. */
  readonly state?: MediaState;
  /** The room password (sets it, when this join creates the room). */
  readonly password?: string;
  /** A join token signed by an application the server trusts. */
  readonly token?: string;
}

/** Come back as the same peer after a lost connection, with the last resume token. */
export interface ResumeCommand {
  readonly type: 'resume';
  readonly version: number;
  readonly minor?: number;
  readonly features?: string[];
  readonly token: string;
  readonly name: string;
  readonly state: MediaState;
  /** How many relayed frames the client received; the session replays the ones after them. */
  readonly received: number;
}

/** Relay signaling data to one peer of the sender's room. */
export interface SignalCommand {
  readonly type: 'signal';
  readonly to: PeerId;
  /**
   * The data as the JSON text the client sent, already validated: relayed as these bytes,
   * never parsed and serialized again (that would cost more than the parse did).
   */
  readonly data: Buffer;
}

/** A message to peers of the sender's room (all of them when `to` is undefined), relayed by the server. */
export interface MessageCommand {
  readonly type: 'message';
  readonly to?: PeerId[];
  /** The message as the JSON text the client sent, already validated; relayed as these bytes, like a signal's data. */
  readonly data: Buffer;
}

/** Change the sender's name or media state; the room is told. */
export interface UpdateCommand {
  readonly type: 'update';
  readonly name?: string;
  readonly state?: Partial<MediaState>;
}

/** Leave the room. */
export interface LeaveCommand {
  readonly type: 'leave';
}

/** A request about the peer's connections to the room's SFU (docs/sfu.md); Ponte's frames as they are. */
export type SfuCommand = SfuRequestFrame;

/** What a client asks of its session, whatever wire protocol it speaks. */
export type RoomCommand = JoinCommand | ResumeCommand | SignalCommand | MessageCommand | UpdateCommand | LeaveCommand | SfuCommand;

/** The outcome of {@link Dialect.parse}. */
export type ParsedMessage =
  | { ok: true; command: RoomCommand }
  | {
      ok: false;
      /** Why the message was refused, for the client. */
      message: string;
      /** The kind of message it claimed to be, when one could be read: the error's `ref`. */
      ref?: string;
    };

// ---------------------------------------------------------------- events (session -> dialect)

/** What a peer entering a room is handed to connect and to come back. */
export interface SessionCredentialsGrant {
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
  /** The room's cap. */
  maxPeers: number;
  resumeToken: string;
}

/** The peer entered a room: by {@link JoinCommand}, or back by {@link ResumeCommand}. */
export type EnteredEvent = SessionCredentialsGrant & {
  room: RoomId;
  /** The features this server has (the dialect tells them to clients that can read them). */
  features: readonly string[];
  /** How the room carries media now; only for a client that can use an SFU. */
  topology?: TopologyMode;
  /** The peer itself, with the id the server minted or the token carried. */
  self: PeerInfo;
  /** The others in the room. */
  peers: PeerInfo[];
} & (
    | { type: 'joined'; request: JoinCommand }
    | {
        type: 'resumed';
        request: ResumeCommand;
        /** The room had already been told the peer left: it must reconnect to everyone. */
        lapsed: boolean;
        /** The index of the first replayed frame in the client's count. */
        replayFrom: number;
      }
  );

/** Fresh credentials for a peer in a long call. */
export interface RefreshEvent {
  type: 'refresh';
  resumeToken: string;
  iceServers: IceServer[];
}

/** A command was refused or failed; `ref` names the command. */
export interface ErrorEvent {
  type: 'error';
  code: ErrorCode;
  message: string;
  ref?: string;
}

/** The SFU's answers and news for this peer (`media/SfuBroker.ts`): Ponte's frames as they are. */
export type SfuEvent = SfuNewsFrame;

/** What the session tells its own client, besides the room's frames. */
export type SessionEvent = EnteredEvent | RefreshEvent | ErrorEvent | SfuEvent;

/**
 * One wire protocol that clients may speak to the server (Ponte's own; PeerJS's later).
 *
 * A dialect is stateless and shared by every connection that speaks it. It turns a
 * connection's inbound text into {@link RoomCommand}s, validated with its own limits, for the
 * dialect-neutral session (`dialects/session/`), and turns what the session and the room say
 * back into its own frames. The session, the registry and the transport never read a frame
 * of the wire protocol.
 */
export interface Dialect {
  /** The dialect's name, for logs. */
  readonly name: string;
  /**
   * Parses and validates one text message (its UTF-8 bytes) into a command, with the
   * dialect's limits; never throws. The frames-in metric counts the command's `type`.
   */
  parse(bytes: Buffer): ParsedMessage;
  /** Encodes one event of the session for its client. */
  encode(event: SessionEvent): EncodedFrame;
  /**
   * Turns a frame the room delivers to the peer (peer-joined, -left, -updated, a relayed
   * signal) into this dialect's frame. The rooms encode those once per room event, in the
   * frames of Ponte's protocol, as the room seams carry them between processes; Ponte's
   * dialect sends them as they are, another translates them.
   */
  fromRoom(frame: EncodedFrame): EncodedFrame;
}
