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
export {
  encodeFrame,
  type AdapterJoinResult,
  type AdapterStats,
  type DeliveryHandler,
  type EncodedFrame,
  type RoomAdapter,
} from './rooms/RoomAdapter.js';
export { MemoryRoomAdapter } from './rooms/memory/MemoryRoomAdapter.js';
export { RoomRegistry, mintPeerId, type PeerSink, type RegistryJoinResult, type RoomRegistryOptions } from './rooms/RoomRegistry.js';
export { configFromEnv, type ServerConfig } from './config/config.js';
export {
  SECURITY_DEFAULTS,
  type MetricsOptions,
  type RateLimitOptions,
  type SecurityOptions,
} from './config/securityOptions.js';
export {
  ALL_PERMISSIONS,
  mintJoinToken,
  verifyJoinToken,
  type JoinPermissions,
  type JoinTokenClaims,
  type JoinTokenResult,
  type VerifiedJoinToken,
} from './admission/joinToken.js';
export type { AdapterJoinOptions, RoomRecord } from './rooms/RoomAdapter.js';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './http/httpSecurity.js';
export { ServerMetrics } from './observability/ServerMetrics.js';
