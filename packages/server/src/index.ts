/**
 * The Ponte signaling server: introduces peers, relays their signaling over WebSocket and
 * hands out ICE settings. Build it with {@link createServer}; `main.ts` runs it from the
 * environment.
 * @packageDocumentation
 */
export { createServer, type ListenAddress, type PonteServer } from './createServer.js';
export { SERVER_DEFAULTS, type ServerOptions } from './config/options.js';
export type { HealthStatus } from './http/httpRoutes.js';
export { WEBSOCKET_PATH } from './transport/attachWebSocket.js';
export { encodeServerFrame, encodeSignal, type EncodedFrame } from './rooms/EncodedFrame.js';
export type { RoomAdapter, RoomBackendStatus } from './rooms/RoomAdapter.js';
export type { RoomJoinConditions, RoomJoinResult, RoomRecord, RoomStats, RoomStore } from './rooms/RoomStore.js';
export type { DeliveryHandler, PeerBus, SupersedeHandler } from './rooms/PeerBus.js';
export type { Attachment, ExpiredHold, GraceHold, Replay, SessionStore } from './rooms/SessionStore.js';
export { MemoryRoomAdapter, type MemoryRoomAdapterOptions } from './rooms/memory/MemoryRoomAdapter.js';
export { MemoryRoomStore } from './rooms/memory/MemoryRoomStore.js';
export { MemoryPeerBus } from './rooms/memory/MemoryPeerBus.js';
export { MemorySessionStore, type MemorySessionStoreOptions } from './rooms/memory/MemorySessionStore.js';
export {
  RoomRegistry,
  mintPeerId,
  type JoinRequest,
  type PeerSink,
  type RegistryJoinResult,
  type RegistryResumeResult,
  type ResumeRequest,
  type RoomRegistryOptions,
} from './rooms/RoomRegistry.js';
export { configFromEnv, type ServerConfig } from './config/config.js';
export { SECURITY_DEFAULTS, type MetricsOptions, type RateLimitOptions, type SecurityOptions } from './config/securityOptions.js';
export {
  ALL_PERMISSIONS,
  mintJoinToken,
  verifyJoinToken,
  type JoinPermissions,
  type JoinTokenClaims,
  type JoinTokenResult,
  type VerifiedJoinToken,
} from './admission/joinToken.js';
export { MemoryPasswordFailures, type MemoryPasswordFailuresOptions, type PasswordFailures } from './admission/PasswordFailures.js';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './http/httpSecurity.js';
export { ServerMetrics } from './observability/ServerMetrics.js';
export {
  SfuError,
  type SfuBridge,
  type SfuBridgeEvents,
  type SfuErrorReason,
  type SfuEventHandler,
  type SfuLeg,
  type SfuStream,
  type SfuStreamRequest,
} from './media/SfuBridge.js';
