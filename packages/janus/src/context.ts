/**
 * What a room's state needs from the bridge: handles on the current Janus session, bounded
 * requests, the event handler, the settings. Passed in so a room knows nothing of reconnects.
 * @module
 */
import type { Handle } from 'janode';
import type { SessionDescription } from '@ponte/protocol';
import type { SfuEventHandler } from '@ponte/server';
import type { VideoRoomReply } from './videoRoomRequest.js';

/** Where the bridge writes what went wrong outside a request (pino's `warn` fits). */
export interface JanusLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/** The settings a room reads. */
export interface RoomSettings {
  /** The VideoRoom `admin_key`, when Janus requires one to create rooms. */
  adminKey: string | undefined;
  /** The deployment's secret from which each VideoRoom's secret and pin are derived. */
  roomSecret: string;
  /** This server process's id: names its room watchers. */
  nodeId: string;
  /** VideoRoom `publishers`: how many participants of a room may publish at once. */
  maxPublishers: number;
  /** VideoRoom `audio_active_packets`: packets of audio levels averaged for `talking`. */
  audioActivePackets: number;
  /** VideoRoom `audio_level_average`: the average level (dBov, 0 loudest, 127 silent) that counts as talking. */
  audioLevelAverage: number;
}

/** The bridge as a room sees it. */
export interface RoomContext {
  readonly settings: RoomSettings;
  /** Attaches a new VideoRoom handle on the current session; rejects `unavailable` without one. */
  attach(): Promise<Handle>;
  /** A VideoRoom request on `handle`, bounded by the request timeout. */
  request(handle: Handle, body: Record<string, unknown>, jsep?: SessionDescription): Promise<VideoRoomReply>;
  /** Detaches a handle, bounded, never rejecting. */
  detach(handle: Handle): Promise<void>;
  emit: SfuEventHandler;
  log: JanusLog;
}
