// Types for the parts of janode (Meetecho's Janus client, plain JavaScript) that this package
// uses: its connection, session and handle objects and the VideoRoom plugin descriptor.

declare module 'janode' {
  import type { EventEmitter } from 'node:events';

  /** A message Janus sent (a response or an event), as janode passes it on. */
  export interface JanusMessage {
    janus: string;
    transaction?: string;
    plugindata?: { plugin: string; data: Record<string, unknown> };
    jsep?: { type: 'offer' | 'answer'; sdp: string };
    [key: string]: unknown;
  }

  /** A request to Janus; janode adds the transaction, session and handle ids. */
  export interface JanusRequest {
    janus: string;
    body?: Record<string, unknown>;
    jsep?: { type: 'offer' | 'answer'; sdp: string };
    [key: string]: unknown;
  }

  /** One ICE candidate as Janus's `trickle` takes it, or the end of gathering. */
  export type JanusCandidate = { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | { completed: true };

  /** A plugin handle (janode's `Handle`; the VideoRoom one adds VideoRoom events). */
  export interface Handle extends EventEmitter {
    readonly id: number;
    sendRequest(request: JanusRequest, timeoutMs?: number): Promise<JanusMessage>;
    trickle(candidate: JanusCandidate | JanusCandidate[]): Promise<unknown>;
    hangup(): Promise<unknown>;
    detach(): Promise<void>;
  }

  /** What `Session.attach` takes: the plugin's Janus id and janode's handle class for it. */
  export interface PluginDescriptor {
    id: string;
    Handle: unknown;
    EVENT: Record<string, string>;
  }

  /** A Janus session. Emits `session_destroyed`. */
  export interface Session extends EventEmitter {
    readonly id: number;
    attach(plugin: PluginDescriptor): Promise<Handle>;
    destroy(): Promise<void>;
  }

  /** A connection to Janus. Emits `connection_error` when it is lost, `connection_closed` when closed. */
  export interface Connection extends EventEmitter {
    create(keepAliveSeconds?: number): Promise<Session>;
    close(): Promise<void>;
  }

  /** How to reach one Janus server. */
  export interface ConnectOptions {
    address: { url: string; apisecret?: string } | { url: string; apisecret?: string }[];
    retry_time_secs?: number;
    max_retries?: number;
    is_admin?: boolean;
    ws_options?: Record<string, unknown>;
  }

  const Janode: {
    connect(options: ConnectOptions): Promise<Connection>;
    Logger: { setLevel(level: 'debug' | 'verbose' | 'info' | 'warning' | 'error' | 'none'): string };
    EVENT: Record<string, string>;
  };
  export default Janode;
}

declare module 'janode/plugins/videoroom' {
  import type { PluginDescriptor } from 'janode';

  const VideoRoomPlugin: PluginDescriptor;
  export default VideoRoomPlugin;
}
