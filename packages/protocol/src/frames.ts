import { z } from 'zod';
import { ERROR_CODES } from './errors.js';
import { FEATURE_NAME_RULE } from './features.js';
import { LIMITS } from './limits.js';
import { DISPLAY_NAME_RULES, foldDisplayName, ROOM_ID_RULE } from './textRules.js';

/** A room id: 1-64 characters of the URL-safe alphabet. */
export const RoomIdSchema = z.string().min(1).max(LIMITS.roomIdLength).regex(ROOM_ID_RULE.pattern, ROOM_ID_RULE.message);

/** A peer id, as minted by the server. */
export const PeerIdSchema = z.string().min(1).max(LIMITS.peerIdLength);

/**
 * A display name: trimmed, 1-64 characters, no control characters and no invisible
 * formatting characters (bidirectional overrides, zero-width joiners) that could make one
 * name look like another. Inner runs of white space are folded to one space so names cannot
 * be used to push layout around.
 */
export const DisplayNameSchema = z
  .string()
  .transform(foldDisplayName)
  .pipe(
    z
      .string()
      .min(1, 'display name must not be empty')
      .max(LIMITS.nameLength)
      .regex(DISPLAY_NAME_RULES[0].pattern, DISPLAY_NAME_RULES[0].message)
      .regex(DISPLAY_NAME_RULES[1].pattern, DISPLAY_NAME_RULES[1].message),
  );

/** What a peer is sending: its microphone, camera and screen share. */
export const MediaStateSchema = z.strictObject({
  audio: z.boolean(),
  video: z.boolean(),
  screen: z.boolean(),
});

/** A participant as the room sees it. */
export const PeerInfoSchema = z.strictObject({
  id: PeerIdSchema,
  name: DisplayNameSchema,
  state: MediaStateSchema,
});

/** An SDP offer or answer (rollbacks never cross the wire). */
export const SessionDescriptionSchema = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(LIMITS.sdpLength),
});

/** One trickled ICE candidate, shaped like `RTCIceCandidateInit`. */
export const IceCandidateSchema = z.strictObject({
  candidate: z.string().max(LIMITS.candidateLength),
  sdpMid: z.string().max(LIMITS.tokenLength).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
  usernameFragment: z.string().max(LIMITS.tokenLength).nullable().optional(),
});

/**
 * The payload a signal carries between two peers: either a session description or a batch
 * of ICE candidates. The server relays it untouched.
 */
export const SignalDataSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('description'), description: SessionDescriptionSchema }),
  z.strictObject({
    kind: z.literal('candidates'),
    candidates: z.array(IceCandidateSchema).min(1).max(LIMITS.candidatesPerSignal),
  }),
]);

/**
 * The features a peer has (`features.ts`): at most 32 names of 1-32 characters. Names this
 * version does not know are accepted (a newer peer's) and never used.
 */
export const FeaturesSchema = z
  .array(z.string().min(1).max(LIMITS.featureNameLength).regex(FEATURE_NAME_RULE.pattern, FEATURE_NAME_RULE.message))
  .max(LIMITS.featureCount);

/** The minor version a peer speaks (`PROTOCOL_MINOR`); a missing one means 0. */
export const MinorVersionSchema = z.number().int().min(0);

/** An ICE server handed to clients, shaped like `RTCIceServer`. */
export const IceServerSchema = z.strictObject({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

// ---------------------------------------------------------------- client -> server
//
// Frames are `z.object`, not strict, at their top level: a key this version does not know is
// dropped, not refused, so that a newer minor may add optional fields (docs/protocol.md,
// "Versions and features"). What is inside a frame (states, signal data, peer infos) stays
// strict.

/** Enter a room. The first join creates the room. */
export const JoinFrameSchema = z.object({
  type: z.literal('join'),
  /** The major protocol version the client speaks; see `PROTOCOL_VERSION` (`version.ts`). */
  version: z.number().int(),
  /** The minor version (`PROTOCOL_MINOR`); missing from clients of minor 0. */
  minor: MinorVersionSchema.optional(),
  /** The features the client has; the server answers with its own. */
  features: FeaturesSchema.optional(),
  room: RoomIdSchema,
  name: DisplayNameSchema,
  state: MediaStateSchema.optional(),
  /**
   * The room password. The first join of a room that carries one protects the room with it;
   * later joins must carry the same one (see docs/security.md).
   */
  password: z.string().min(1).max(LIMITS.passwordLength).optional(),
  /** A join token signed by an application the server trusts (a JWT; see docs/security.md). */
  token: z.string().min(1).max(LIMITS.joinTokenLength).optional(),
});

/** Send signaling data to one peer of the sender's room. */
export const SignalFrameSchema = z.object({
  type: z.literal('signal'),
  to: PeerIdSchema,
  data: SignalDataSchema,
  /** Never sent by a client: the server stamps `from`, and refuses a frame that forges one. */
  from: z.never({ error: 'a client must not send "from"' }).optional(),
});

/** Change the sender's name or media state; the room is told with `peer-updated`. */
export const UpdateFrameSchema = z
  .object({
    type: z.literal('update'),
    name: DisplayNameSchema.optional(),
    state: MediaStateSchema.partial().optional(),
  })
  .refine((frame) => frame.name !== undefined || frame.state !== undefined, 'update must change the name or the state');

/**
 * Come back after a lost connection, as the same peer in the same room, with the token of
 * the last `joined`/`resumed`/`refresh`. Any server process that shares the secret accepts it,
 * even one that has lost all state.
 */
export const ResumeFrameSchema = z.object({
  type: z.literal('resume'),
  version: z.number().int(),
  minor: MinorVersionSchema.optional(),
  features: FeaturesSchema.optional(),
  token: z.string().min(1).max(LIMITS.resumeTokenLength),
  name: DisplayNameSchema,
  state: MediaStateSchema,
  /**
   * How many relayed frames (`peer-joined`, `peer-left`, `peer-updated`, `signal`) the client
   * received since its `joined`, counting on from `replayFrom` after each `resumed`. The
   * server sends the ones after that again.
   */
  received: z.number().int().min(0),
});

/** Leave the room (closing the socket does the same). */
export const LeaveFrameSchema = z.object({ type: z.literal('leave') });

// SFU frames (feature `sfu`, since minor 3): in a room the server forwards through an SFU,
// each participant has a publisher connection (its own media, to the SFU) and a subscriber
// connection (everyone else's, from it); the server brokers their negotiation (docs/sfu.md).

/** An SDP of an SFU connection; `type` is checked by the frame that carries it. */
export const SfuDescriptionSchema = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(LIMITS.sfuSdpLength),
});

/** Which of a participant's two SFU connections: its `publisher` or its `subscriber`. */
export const SfuLegSchema = z.enum(['publisher', 'subscriber']);

/** A media line (`mid`) of an SFU connection. */
export const MidSchema = z.string().min(1).max(LIMITS.tokenLength);

/** Publish our media through the SFU: our publisher connection's offer; answered by `sfu-published`. */
export const SfuPublishFrameSchema = z.object({ type: z.literal('sfu-publish'), description: SfuDescriptionSchema });

/** Receive everyone else's media through the SFU; the server sends `sfu-offer` now and as people come and go. */
export const SfuSubscribeFrameSchema = z.object({ type: z.literal('sfu-subscribe') });

/** Our subscriber connection's answer to the latest `sfu-offer`. */
export const SfuAnswerFrameSchema = z.object({ type: z.literal('sfu-answer'), description: SfuDescriptionSchema });

/** Which simulcast layer (0 lowest, 2 highest) of a received stream we want, and whether to pause it (a tile not shown). */
export const SfuStreamRequestSchema = z.strictObject({
  mid: MidSchema,
  layer: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  paused: z.boolean().optional(),
});

/** Layers and pauses of streams we receive. */
export const SfuConfigureFrameSchema = z.object({
  type: z.literal('sfu-configure'),
  streams: z.array(SfuStreamRequestSchema).min(1).max(LIMITS.sfuStreams),
});

/** ICE candidates of one of our SFU connections; an empty list: gathering is complete. */
export const SfuCandidatesFrameSchema = z.object({
  type: z.literal('sfu-candidates'),
  leg: SfuLegSchema,
  candidates: z.array(IceCandidateSchema).max(LIMITS.candidatesPerSignal),
});

/** The JSON a `message` carries: any value whose text is at most `LIMITS.messageDataLength` characters. */
export const MessageDataSchema = z
  .unknown()
  .refine((value) => value !== undefined, { message: 'expected a JSON value', abort: true })
  .refine((value) => JSON.stringify(value).length <= LIMITS.messageDataLength, `too long: at most ${LIMITS.messageDataLength} characters of JSON`);

/**
 * A message to peers of our room, relayed by the server (the SDK sends `room.send` and chat
 * this way in SFU rooms, where peers have no data channel to each other): to the peers `to`
 * names, or to everyone else. Since minor 3.
 */
export const MessageFrameSchema = z.object({
  type: z.literal('message'),
  to: z.array(PeerIdSchema).min(1).max(LIMITS.messageTargets).optional(),
  data: MessageDataSchema,
});

/** Every frame a client may send. */
export const ClientFrameSchema = z.discriminatedUnion('type', [
  JoinFrameSchema,
  ResumeFrameSchema,
  SignalFrameSchema,
  UpdateFrameSchema,
  LeaveFrameSchema,
  SfuPublishFrameSchema,
  SfuSubscribeFrameSchema,
  SfuAnswerFrameSchema,
  SfuConfigureFrameSchema,
  SfuCandidatesFrameSchema,
  MessageFrameSchema,
]);

// ---------------------------------------------------------------- server -> client
//
// Not strict at their top level either, for the same reason as the client frames.

/** The answer to a successful `join`. */
export const JoinedFrameSchema = z.object({
  type: z.literal('joined'),
  version: z.number().int(),
  /** The server's minor version; only to a client that sent `minor` or `features`. */
  minor: MinorVersionSchema.optional(),
  /** What this server supports; only to a client that sent `minor` or `features`. */
  features: FeaturesSchema.optional(),
  room: RoomIdSchema,
  /** The server-minted id of the joining peer. */
  self: PeerIdSchema,
  /** The peers already in the room, with their state. */
  peers: z.array(PeerInfoSchema),
  iceServers: z.array(IceServerSchema),
  /** `relay` when this room must connect through TURN only. */
  iceTransportPolicy: z.enum(['all', 'relay']),
  /** The most peers this room admits. */
  maxPeers: z.number().int().min(1),
  /** Presents us again after a lost connection; see `resume`. */
  resumeToken: z.string().min(1).max(LIMITS.resumeTokenLength),
  /** How the room carries media now (see `topology`); only to a client that lists `sfu`. */
  topology: z.enum(['mesh', 'sfu']).optional(),
});

/**
 * The answer to a successful `resume`: like `joined`, with the same peer id.
 * `lapsed` is true when the room had already been told we left (the grace period ran out):
 * the client must then connect to everyone afresh, as a newcomer.
 */
export const ResumedFrameSchema = JoinedFrameSchema.extend({
  type: z.literal('resumed'),
  lapsed: z.boolean(),
  /** The index of the next relayed frame: the client's count restarts from it. */
  replayFrom: z.number().int().min(0),
});

/**
 * Fresh credentials before the old ones expire: a new resume token and ICE servers (TURN
 * credentials are short-lived).
 */
export const RefreshFrameSchema = z.object({
  type: z.literal('refresh'),
  resumeToken: z.string().min(1).max(LIMITS.resumeTokenLength),
  iceServers: z.array(IceServerSchema),
});

/** Someone entered the sender's room. */
export const PeerJoinedFrameSchema = z.object({
  type: z.literal('peer-joined'),
  peer: PeerInfoSchema,
});

/** Someone left the room: a `leave`, a closed socket, or a missed liveness check. */
export const PeerLeftFrameSchema = z.object({
  type: z.literal('peer-left'),
  peer: PeerIdSchema,
  reason: z.enum(['left', 'disconnected', 'timeout']),
});

/** Someone changed their name or media state. Carries the full new info. */
export const PeerUpdatedFrameSchema = z.object({
  type: z.literal('peer-updated'),
  peer: PeerInfoSchema,
});

/** Signaling data from one peer, with `from` stamped by the server. */
export const RelayedSignalFrameSchema = z.object({
  type: z.literal('signal'),
  from: PeerIdSchema,
  data: SignalDataSchema,
});

/** A refused frame or a failed operation. */
export const ErrorFrameSchema = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** The `type` of the frame that caused the error, when it could be read. */
  ref: z.string().max(32).optional(),
});

/**
 * How the room carries media from now on: `mesh` (peer to peer, signals between peers) or
 * `sfu` (through the SFU: `sfu-publish` and `sfu-subscribe`). Sent to clients that list `sfu`
 * when the room switches; each moves make-before-break.
 */
export const TopologyFrameSchema = z.object({ type: z.literal('topology'), mode: z.enum(['mesh', 'sfu']) });

/** The SFU's answer to our `sfu-publish`. */
export const SfuPublishedFrameSchema = z.object({ type: z.literal('sfu-published'), description: SfuDescriptionSchema });

/** One stream of our subscriber connection: whose it is and what. */
export const SfuStreamSchema = z.strictObject({ mid: MidSchema, peer: PeerIdSchema, kind: z.enum(['audio', 'video']) });

/** The SFU's offer for our subscriber connection, with the streams it carries; answer with `sfu-answer`. */
export const SfuOfferFrameSchema = z.object({
  type: z.literal('sfu-offer'),
  description: SfuDescriptionSchema,
  streams: z.array(SfuStreamSchema).max(LIMITS.sfuStreams),
});

/** Who speaks now in an SFU room, loudest or latest first; empty: nobody. */
export const SfuSpeakingFrameSchema = z.object({ type: z.literal('sfu-speaking'), peers: z.array(PeerIdSchema).max(LIMITS.speakingPeers) });

/** A `message` from another peer of the room, with `from` stamped by the server. */
export const RelayedMessageFrameSchema = z.object({ type: z.literal('message'), from: PeerIdSchema, data: MessageDataSchema });

/** Every frame the server may send. */
export const ServerFrameSchema = z.discriminatedUnion('type', [
  JoinedFrameSchema,
  ResumedFrameSchema,
  RefreshFrameSchema,
  PeerJoinedFrameSchema,
  PeerLeftFrameSchema,
  PeerUpdatedFrameSchema,
  RelayedSignalFrameSchema,
  ErrorFrameSchema,
  TopologyFrameSchema,
  SfuPublishedFrameSchema,
  SfuOfferFrameSchema,
  SfuSpeakingFrameSchema,
  RelayedMessageFrameSchema,
]);

// The frames' TypeScript types, inferred from the schemas above.
export type * from './frameTypes.js';
