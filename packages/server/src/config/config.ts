import type { Env } from './envValues.js';
import type { ServerOptions } from './options.js';
import { connectivityFromEnv } from './connectivityConfig.js';
import { securityFromEnv } from './securityConfig.js';
import { settingsFromEnv } from './settingsFromEnv.js';

export { DEFAULT_NODE_ID, DEFAULT_WEB_ROOT } from './settings.js';

/** Where a server's rooms live: what `main.ts` builds the room adapter from. */
export interface RoomsConfig {
  /** `REDIS_URL`: share rooms with other processes on this Redis; undefined for rooms in memory. */
  redisUrl?: string;
  /** `PONTE_NODE_ID`: this process's name among those sharing the rooms. */
  nodeId: string;
}

/** The SFU a server carries large rooms through: what `main.ts` connects the bridge with. */
export interface SfuConfig {
  /** `PONTE_JANUS_URL`: Janus's WebSocket API; undefined for no SFU (every room a mesh). */
  janusUrl?: string;
  /** `PONTE_JANUS_API_SECRET`. */
  apiSecret?: string;
  /** `PONTE_JANUS_ADMIN_KEY`. */
  adminKey?: string;
}

/** Everything `main.ts` needs to run a server, as read from the environment. */
export interface ServerConfig {
  /** `PORT`. */
  port: number;
  /** `HOST`. */
  host: string;
  /** `REDIS_URL`, `PONTE_NODE_ID`. */
  rooms: RoomsConfig;
  /** `PONTE_JANUS_URL` and its secrets. */
  sfu: SfuConfig;
  /** The options for `createServer`. */
  server: ServerOptions & { logger: { level: string } };
}

/**
 * Reads the server configuration from environment variables; pure (pass `process.env`).
 * The variables, their defaults and what they do are the rows of `SETTINGS` (`settings.ts`;
 * `ponte-server --help` prints them). Throws an Error whose message names the variable and
 * what is wrong with it.
 */
export function configFromEnv(env: Env): ServerConfig {
  const listen = settingsFromEnv<Pick<ServerConfig, 'port' | 'host'>>(env, 'listen');
  const rooms = settingsFromEnv<RoomsConfig>(env, 'rooms');
  const sfu = settingsFromEnv<SfuConfig>(env, 'sfu');
  const server = settingsFromEnv<ServerConfig['server']>(env, 'server');
  const connectivity = connectivityFromEnv(env);
  if (rooms.redisUrl !== undefined && connectivity.secret === undefined) {
    // Each process would sign resume tokens with a random secret of its own: a peer could not
    // resume on another process, which is the point of sharing rooms.
    throw new Error('REDIS_URL needs PONTE_SECRET: give every process that shares the rooms the same one');
  }
  if (sfu.janusUrl !== undefined && connectivity.secret === undefined) {
    // The secrets of the SFU's rooms are derived from it: a restarted process, or another one,
    // must derive the same.
    throw new Error("PONTE_JANUS_URL needs PONTE_SECRET: the SFU rooms' secrets are derived from it");
  }
  return { ...listen, rooms, sfu, server: { ...server, ...securityFromEnv(env), ...connectivity } };
}
