/**
 * The Ponte SDK. Apps use {@link Room} for rooms on a Ponte server and {@link ManualCall} for
 * a call signaled by copy-and-paste codes; {@link PeerSession} (one connection with perfect
 * negotiation) and {@link SignalClient} (the server's WebSocket protocol) are exported for
 * apps that compose their own. Everything it needs from its host comes through a
 * {@link Platform} ({@link browserPlatform} by default, so it runs in Node given another), and
 * `Room` reaches the other peers through a {@link MediaTopology} (a mesh, or the server's SFU
 * in large rooms, switched make-before-break by {@link SwitchingTopology}).
 * @packageDocumentation
 */
export { Room } from './room/Room.js';
export type { RoomEvents, RoomOptions, RoomSendOptions, SelfInfo, JoinOptions } from './room/RoomOptions.js';
export type { RemotePeer } from './room/RemotePeer.js';
export { LocalMedia, type LocalMediaEvents, type MediaRequest } from './room/LocalMedia.js';
export { PeerSession, type PeerSessionEvents, type PeerSessionOptions } from './topology/mesh/PeerSession.js';
export { SignalClient, type SignalClientEvents, type SignalClientOptions } from './signaling/SignalClient.js';
export {
  overridePlatform,
  type Platform,
  type PeerConnectionConstructor,
  type MediaStreamConstructor,
  type WebSocketConstructor,
  type MediaDevicesLike,
} from './platform/Platform.js';
export { browserPlatform } from './platform/browserPlatform.js';
export { RECONNECT_DEFAULTS, backoffDelay, type ReconnectOptions } from './signaling/backoff.js';
export { SIGNALING_TIMEOUT_DEFAULTS, type SignalingTimeouts } from './signaling/timeouts.js';
export { BITRATE_BUDGET_DEFAULTS, videoBitrateCap, type BitrateBudget } from './topology/mesh/bitrateBudget.js';
export type { PeerMeshEvents } from './topology/mesh/PeerMesh.js';
export { SfuTopology, sfuTopology, type SfuTopologyOptions, type LayerRequest } from './topology/sfu/SfuTopology.js';
export {
  SIMULCAST_DEFAULTS,
  SIMULCAST_RIDS,
  simulcastEncodings,
  layerForTile,
  type SimulcastLayer,
  type SimulcastOptions,
  type TileSize,
} from './topology/sfu/simulcast.js';
export type { SfuNews, SfuRequest } from './topology/sfu/sfuFrames.js';
export { SwitchingTopology, type SwitchingTopologyOptions, type SfuCapableTopology, type TopologyMember } from './topology/SwitchingTopology.js';
export type {
  MediaTopology,
  MediaTopologyEvents,
  MediaTopologyFactory,
  TopologyContext,
  LocalTracks,
  IceSettings,
  PeerDataTarget,
  MediaKind,
} from './topology/MediaTopology.js';
export { rateQuality, type PeerStats, type TrackStats, type CandidateSummary, type ConnectionQuality } from './stats/peerStats.js';
export { PonteError, type PonteErrorCode } from './errors/PonteError.js';
export { readJoinToken, ALL_PERMISSIONS, type JoinPermissions, type JoinTokenInfo } from './room/joinToken.js';
export {
  encodeManualCode,
  decodeManualCode,
  offerFingerprint,
  MANUAL_CODE_VERSION,
  DEFAULT_MANUAL_CODE_MAX_AGE_MS,
  DEFAULT_MANUAL_CODE_MAX_SDP_BYTES,
  type ManualCodeRole,
  type ManualCodeProblem,
  type ManualCodeContent,
  type ManualCodeResult,
  type DecodeManualCodeOptions,
} from './manual/manualCode.js';
export { ManualCall, DEFAULT_MANUAL_EXCHANGE_TIMEOUT_MS, type ManualCallOptions, type ManualCallRole } from './manual/ManualCall.js';
export {
  ChatChannel,
  parseChatMessage,
  DEFAULT_CHAT_MAX_LENGTH,
  type ChatChannelEvents,
  type ChatChannelOptions,
  type ChatMessage,
} from './data/ChatChannel.js';
export {
  PeerData,
  type PeerDataEvents,
  type PeerDataOptions,
  type PeerLink,
  type PeerMessage,
  type MessageData,
  type JsonValue,
  type SendOptions,
} from './data/PeerData.js';
export { OutgoingFile, type OutgoingFileEvents, type OutgoingFileEnd } from './data/OutgoingFile.js';
export { IncomingFile } from './data/IncomingFile.js';
export type { FileSender } from './data/FileSender.js';
export {
  FILE_TRANSFER_DEFAULTS,
  type FileTransferOptions,
  type TransferState,
  type TransferEndReason,
  type TransferProgress,
  type TransferEnd,
  type TransferEvents,
} from './data/FileTransfer.js';
export { TypedEmitter, type Listener } from './events/TypedEmitter.js';
export { isPolite } from './topology/mesh/negotiation.js';
export { PROTOCOL_VERSION, LIMITS, type MediaState, type PeerInfo, type LeaveReason, type SignalData, type TopologyMode } from '@ponte/protocol';
