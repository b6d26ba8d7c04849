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

/** Everything `main.ts` needs to run a server, as read from the environment. */
export interface ServerConfig {
  /** `PORT`. */
  port: number;
  /** `HOST`. */
  host: string;
  /** `REDIS_URL`, `PONTE_NODE_ID`. */
  rooms: RoomsConfig;
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
  const server = settingsFromEnv<ServerConfig['server']>(env, 'server');
  const connectivity = connectivityFromEnv(env);
  if (rooms.redisUrl !== undefined && connectivity.secret === undefined) {
    // Each process would sign resume tokens with a random secret of its own: a peer could not
    // resume on another process, which is the point of sharing rooms.
    throw new Error('REDIS_URL needs PONTE_SECRET: give every process that shares the rooms the same one');
  }
  return { ...listen, rooms, server: { ...server, ...securityFromEnv(env), ...connectivity } };
}
